import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ByteReader, readResponse } from '@bbws/testing';
import { describe, expect, it } from 'vitest';

// Issue 11 D: SIGTERM reached two handlers, the app's and the quickstart's. The second
// app.stop() found the app already "stopped", resolved at once, and the process exited while
// 64 of 64 requests in progress were still unanswered. The fixture runs the quickstart's own
// serve() (what apps/quickstart/dist/main.js runs) with a 300 ms route; `pnpm build` first.

const root = resolve(import.meta.dirname, '../..');
const entry = join(root, 'test/e2e/fixtures/slow-quickstart.mjs');
const REQUESTS = 64;

/** The fixture, started in a temp cwd whose config listens on a free loopback port. */
function startFixture() {
  const cwd = mkdtempSync(join(tmpdir(), 'bbws-stop-'));
  mkdirSync(join(cwd, 'config'));
  writeFileSync(
    join(cwd, 'config/config.json'),
    JSON.stringify({ server: [{ ip: '127.0.0.1', port: 0 }], log: { console: false } }),
  );
  const child = spawn(process.execPath, [entry], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string | null>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit(code ?? signal));
  });
  return {
    child,
    output: () => output,
    /** Resolves with the first match of `pattern` in stdout and stderr. */
    waitFor: (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolveMatch, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match === null) return;
          child.stdout.off('data', check);
          resolveMatch(match);
        };
        child.stdout.on('data', check);
        child.once('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}: ${output}`)));
        check();
      }),
    /** The exit code (or signal), or a note that it is still running after `ms`. */
    exitWithin: (ms: number) =>
      Promise.race([
        exited,
        new Promise((resolveLate) => setTimeout(() => resolveLate(`still running after ${ms} ms`), ms)),
      ]),
    /** Kills the process by pid if it still runs, and removes the temp cwd. */
    cleanUp: () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGKILL');
      }
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** Sends `GET /slow` on a socket of its own; resolves with the answer, or status 0 and why not. */
function getSlow(port: number, sockets: net.Socket[]) {
  const socket = net.connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => {});
  socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n');
  return readResponse(new ByteReader(socket)).then(
    (response) => ({
      status: response.status,
      body: response.body.toString(),
      connection: response.headerList.find(([name]) => name === 'connection')?.[1],
    }),
    (error: unknown) => ({ status: 0, body: String(error), connection: undefined }),
  );
}

describe('the quickstart on SIGTERM', () => {
  it(`answers ${REQUESTS} of ${REQUESTS} requests in progress (Connection: close), then exits 0`, async () => {
    const fixture = startFixture();
    const sockets: net.Socket[] = [];
    try {
      const port = Number((await fixture.waitFor(/listening on 127\.0\.0\.1:(\d+)/))[1]);
      const answers = [];
      for (let i = 0; i < REQUESTS; i++) answers.push(getSlow(port, sockets));
      await fixture.waitFor(new RegExp(`in flight: ${REQUESTS}\\n`));
      process.kill(fixture.child.pid as number, 'SIGTERM');
      const results = await Promise.all(answers);
      const answered = results.filter((r) => r.status === 200 && r.body === 'slow answer');
      expect(answered.length, JSON.stringify(results.find((r) => r.status !== 200))).toBe(REQUESTS);
      expect(results.every((r) => r.connection === 'close')).toBe(true);
      expect(await fixture.exitWithin(5000), fixture.output()).toBe(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      fixture.cleanUp();
    }
  });

  it('exits 130 at once on a second signal during the stop', async () => {
    const fixture = startFixture();
    const sockets: net.Socket[] = [];
    try {
      const port = Number((await fixture.waitFor(/listening on 127\.0\.0\.1:(\d+)/))[1]);
      void getSlow(port, sockets);
      await fixture.waitFor(/in flight: 1\n/);
      process.kill(fixture.child.pid as number, 'SIGTERM');
      // The first signal's stop waits for the 300 ms request; the second ends the process now.
      await new Promise((resolveSoon) => setTimeout(resolveSoon, 50));
      if (fixture.child.exitCode === null) process.kill(fixture.child.pid as number, 'SIGINT');
      expect(await fixture.exitWithin(3000), fixture.output()).toBe(130);
    } finally {
      for (const socket of sockets) socket.destroy();
      fixture.cleanUp();
    }
  });
});
