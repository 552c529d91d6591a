import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { printFigures } from './support/drill-report.js';
import {
  type Child,
  get,
  handledBy,
  type ProxyProcess,
  sleep,
  startApp,
  startProxy,
  startTwoApps,
  waitForStatus,
} from './support/proxy-drill.js';
import { KeptAliveClient } from './support/wire-client.js';

/**
 * Drill: nginx in front of two instances (docs/reliability.md#behind-proxies). The nginx
 * configuration is the one in docs/deployment.md, ports changed. Eight clients keep
 * connections to nginx busy with sequential GETs; meanwhile both instances are restarted one
 * after the other: SIGTERM the first, wait for its exit, start it again, wait until it is ready,
 * then the same for the second. Every request sent must be answered 2xx.
 */
const APP_PORTS = [6050, 6051] as const;
const NGINX_PORT = 6052;
const CLIENTS = 8;
const LOAD_BEFORE_MS = 1000;
const LOAD_AFTER_MS = 1000;
const PAUSE_BETWEEN_MS = 500;
const REQUEST_BOUND_MS = 5000;
const GET_WHO = 'GET /who HTTP/1.1\r\nHost: drill.example\r\n\r\n';

interface Tally {
  sent: number;
  ok: number;
  failures: string[];
}

async function client(count: Tally, isRunning: () => boolean): Promise<void> {
  let connection: KeptAliveClient | null = null;
  try {
    while (isRunning()) {
      if (connection === null || !connection.isReusable) {
        connection?.close();
        connection = await KeptAliveClient.connect(NGINX_PORT, REQUEST_BOUND_MS);
      }
      count.sent++;
      const outcome = await connection.request(GET_WHO, REQUEST_BOUND_MS);
      if (outcome.kind === 'response' && outcome.response.status >= 200 && outcome.response.status < 300) {
        count.ok++;
      } else {
        count.failures.push(outcome.kind === 'response' ? String(outcome.response.status) : outcome.kind);
        connection.close();
        connection = null;
      }
    }
  } finally {
    connection?.close();
  }
}

describe('nginx in front of two instances', () => {
  it('answers every request 2xx while both instances restart one after the other', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bbws-nginx-'));
    const apps: Child[] = [];
    const retired: Child[] = [];
    let proxy: ProxyProcess | null = null;
    try {
      const specFor = (port: number, readyz: boolean) => ({
        readyz,
        config: { server: [{ ip: '127.0.0.1', port }], trust_proxy: ['loopback'] },
      });
      const needsReadyz = await startTwoApps(APP_PORTS, specFor, apps);
      proxy = await startProxy('nginx', dir, NGINX_PORT, [
        ['127.0.0.1:8001', `127.0.0.1:${APP_PORTS[0]}`],
        ['127.0.0.1:8002', `127.0.0.1:${APP_PORTS[1]}`],
        ['listen 80;', `listen 127.0.0.1:${NGINX_PORT};`],
      ]);

      // The client is seen as nginx forwarded it (trust_proxy: loopback; the client is loopback too).
      const who = await get(NGINX_PORT, '/who');
      expect(typeof who === 'string' ? who : JSON.parse(who.body)).toMatchObject({
        address: '127.0.0.1',
        host: 'drill',
      });

      const count: Tally = { sent: 0, ok: 0, failures: [] };
      let isRunning = true;
      const started = performance.now();
      const load = Promise.all(Array.from({ length: CLIENTS }, () => client(count, () => isRunning)));
      await sleep(LOAD_BEFORE_MS);
      const restartMs: number[] = [];
      for (const [index, port] of APP_PORTS.entries()) {
        const t0 = performance.now();
        const old = apps[index] as Child;
        old.signal('SIGTERM');
        const exit = await Promise.race([old.exited, sleep(15_000).then(() => null)]);
        expect(exit, `instance on ${port} did not exit after SIGTERM`).not.toBeNull();
        retired.push(old);
        const fresh = await startApp(specFor(port, needsReadyz));
        apps[index] = fresh;
        await waitForStatus(port, '/readyz', 200);
        restartMs.push(performance.now() - t0);
        await sleep(PAUSE_BETWEEN_MS);
      }
      await sleep(LOAD_AFTER_MS);
      isRunning = false;
      await load;
      const durationMs = performance.now() - started;
      // What nginx passed to the other instance, by cause (its error log, one line per attempt).
      const errorLog = fs.readFileSync(path.join(dir, 'error.log'), 'utf8');
      const lines = (text: string) => errorLog.split('\n').filter((line) => line.includes(text)).length;

      printFigures('nginx-restart', 'ours', {
        clients: CLIENTS,
        durationMs,
        sent: count.sent,
        answered2xx: count.ok,
        failed: count.failures.length,
        failures: count.failures.slice(0, 10).join(',') || 'none',
        restartMsFirst: restartMs[0] ?? Number.NaN,
        restartMsSecond: restartMs[1] ?? Number.NaN,
        handledByRetired: retired.reduce((sum, app) => sum + handledBy(app), 0),
        retriedRefused: lines('Connection refused'),
        retriedReset: lines('Connection reset by peer'),
        retriedClosedKeptAlive: lines('upstream prematurely closed'),
      });
      expect(count.failures).toEqual([]);
      expect(count.ok).toBe(count.sent);
      // The load really ran across both restarts.
      expect(count.sent).toBeGreaterThan(500);
      for (const app of retired) expect(handledBy(app)).toBeGreaterThan(0);
    } finally {
      await proxy?.stop();
      for (const app of [...apps, ...retired]) await app.kill();
      const log = path.join(dir, 'error.log');
      if (fs.existsSync(log) && process.env.BBWS_DRILL_VERBOSE === '1')
        process.stdout.write(fs.readFileSync(log, 'utf8'));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
