import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withIdleClients } from './support/idle-clients.js';
import { exchange, startServer, type TestServer } from './support/servers.js';

// 10,000 clients in a child process (each process has its own open-file limit): each sends one
// request, reads the answer, and stays connected, idle.
const CLIENTS = 10_000;
const CLIENT_REQUEST = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';

/** The open-file limit of this process (inherited by the shell); the test needs 10,000 plus room. */
const ulimit = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim();
const hasRoom = ulimit === 'unlimited' || Number(ulimit) >= CLIENTS + 2000;

let target: TestServer;
beforeAll(async () => {
  target = await startServer({ limits: { keepAliveTimeoutMs: 120_000, headerTimeoutMs: 120_000 } });
});
afterAll(() => target.stop());

describe('default open-connection cap', () => {
  it('admits 10,000 idle keep-alive clients and still serves a new one', { timeout: 60_000 }, async () => {
    // Not a skip: a machine that cannot hold the sockets cannot prove the cap. `pnpm test`
    // raises the soft limit to the hard one first.
    expect(hasRoom, `open-file limit is ${ulimit}; this test needs ${CLIENTS + 2000} (raise ulimit -n)`).toBe(
      true,
    );
    await withIdleClients(CLIENT_REQUEST, target.port, CLIENTS, async () => {
      expect(target.server.connectionCount).toBe(CLIENTS);
      expect(target.server.inFlight).toBe(0);
      const { response } = await exchange(
        target.port,
        'GET /one-more HTTP/1.1\r\nHost: x\r\n\r\n',
        '127.0.0.1',
        0,
      );
      expect(response.status).toBe(200);
    });
  });
});
