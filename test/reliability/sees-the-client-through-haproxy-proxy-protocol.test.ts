import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { printFigures } from './support/drill-report.js';
import {
  type Child,
  get,
  type ProxyProcess,
  sleep,
  startProxy,
  startTwoApps,
} from './support/proxy-drill.js';

/**
 * Drill: HAProxy with `send-proxy-v2` in front of two instances whose listeners have
 * `proxy_protocol: true` (docs/reliability.md#behind-proxies). The HAProxy configuration is
 * the one in docs/deployment.md, ports changed. Clients connect through HAProxy, several at
 * once and several requests per connection; the app's handler reports the client address and
 * port it sees, which must be the client socket's own local address and port. A client that
 * bypasses HAProxy is refused.
 */
const APP_PORTS = [6054, 6055] as const;
const HAPROXY_PORT = 6053;
const CLIENTS = 6;
const REQUESTS_PER_CLIENT = 3;
/** A v1 header for probing an instance directly (as HAProxy's checks would reach it). */
const PROBE_HEADER = 'PROXY TCP4 127.0.0.1 127.0.0.1 1 2\r\n';

interface Seen {
  readonly address: string;
  readonly port: number;
}

/** One kept-alive connection through HAProxy: what the app saw per request, and what the socket knows. */
async function askThrough(port: number, requests: number): Promise<{ local: Seen; seen: Seen[] }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const local = { address: socket.localAddress ?? '', port: socket.localPort ?? 0 };
  let buffer = '';
  const seen: Seen[] = [];
  try {
    for (let i = 0; i < requests; i++) {
      socket.write('GET /who HTTP/1.1\r\nHost: drill\r\n\r\n');
      const body = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000);
        const onData = (chunk: Buffer) => {
          buffer += chunk.toString('latin1');
          const headEnd = buffer.indexOf('\r\n\r\n');
          if (headEnd === -1) return;
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(buffer.slice(0, headEnd))?.[1] ?? 'NaN');
          if (buffer.length < headEnd + 4 + length) return;
          clearTimeout(timer);
          socket.off('data', onData);
          if (!buffer.startsWith('HTTP/1.1 200')) reject(new Error(`answered ${buffer.slice(0, 12)}`));
          const text = buffer.slice(headEnd + 4, headEnd + 4 + length);
          buffer = buffer.slice(headEnd + 4 + length);
          resolve(text);
        };
        socket.on('data', onData);
      });
      const who = JSON.parse(body) as Seen;
      seen.push({ address: who.address, port: who.port });
    }
  } finally {
    socket.destroy();
  }
  return { local, seen };
}

describe('HAProxy with PROXY protocol v2', () => {
  it("lets the app see each client's own address and port", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bbws-haproxy-'));
    const apps: Child[] = [];
    let proxy: ProxyProcess | null = null;
    try {
      const specFor = (port: number, readyz: boolean) => ({
        readyz,
        config: { server: [{ ip: '127.0.0.1', port, proxy_protocol: true }] },
      });
      await startTwoApps(APP_PORTS, specFor, apps, PROBE_HEADER);

      // Nothing bypasses the proxy: a plain request straight to the app is refused.
      const direct = await get(APP_PORTS[0], '/who');
      expect(typeof direct === 'string' ? direct : direct.status).toBe(400);

      proxy = await startProxy('haproxy', dir, HAPROXY_PORT, [
        ['127.0.0.1:8001', `127.0.0.1:${APP_PORTS[0]}`],
        ['127.0.0.1:8002', `127.0.0.1:${APP_PORTS[1]}`],
        ['bind :80', `bind 127.0.0.1:${HAPROXY_PORT}`],
      ]);
      // Past two check intervals (inter 1s, fall 1): an instance whose /readyz check failed
      // (say, the check's PROXY header refused) would be down now, and HAProxy would answer 503.
      await sleep(2500);

      const results = await Promise.all(
        Array.from({ length: CLIENTS }, () => askThrough(HAPROXY_PORT, REQUESTS_PER_CLIENT)),
      );
      let matched = 0;
      for (const { local, seen } of results) {
        for (const who of seen) if (who.address === local.address && who.port === local.port) matched++;
      }
      printFigures('haproxy-proxy-v2', 'ours', {
        clients: CLIENTS,
        requests: CLIENTS * REQUESTS_PER_CLIENT,
        matchedAddressAndPort: matched,
        clientPorts: results.map((r) => r.local.port).join('/'),
        seenPorts: results.map((r) => r.seen.map((s) => s.port).join('+')).join('/'),
        directPlainRequest: typeof direct === 'string' ? direct : direct.status,
      });
      for (const { local, seen } of results) {
        expect(seen).toHaveLength(REQUESTS_PER_CLIENT);
        for (const who of seen) expect(who).toEqual(local);
      }
      expect(matched).toBe(CLIENTS * REQUESTS_PER_CLIENT);
    } finally {
      await proxy?.stop();
      for (const app of apps) await app.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
