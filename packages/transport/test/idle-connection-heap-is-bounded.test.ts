import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Endpoint } from '@bbws/router';
import { describe, expect, it } from 'vitest';
import { withIdleClients } from './support/idle-clients.js';
import { exchange, startServer } from './support/servers.js';

// Issue 15: 10,000 idle keep-alive connections are to fit in 110 MiB of RSS. An idle connection
// holds no parser (made by its first bytes, handed on after its first answer or a second idle),
// no endpoint or Host of its own, and no fields for streaming or waiting. This measures the V8
// heap one idle connection costs the transport above what a bare `net` server pays for the
// same socket (the Socket, its stream states and handle), so Node's own share, which differs
// between Node versions, is not part of the bar.

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const CONNECTIONS = 2000;
/**
 * Heap per idle connection above a bare `net` server's, in bytes. Measured 808 B when an idle
 * connection kept its parser and an endpoint and Host of its own, 441 B without them, and
 * 172-176 B once the fields of streaming and waiting moved out of the connection, the peer
 * address was read without Node's `_peername` object (88 B) and the server's `close` listener
 * also ended the connection (2026-12-01, Node 20), and 111-117 B once Node's own `end` listener
 * was removed, leaving one listener where there was an array of two (64 B), and 78 B once
 * `send_timeout`'s two fields (one a boxed number, 16 B more) moved to the streaming state, and
 * 11-23 B once nine yes/no fields became one field of bits (64 B). The bar leaves room for
 * noise, not for any of those back, nor for a parser per socket (~290 B).
 */
const OVER_RAW_BAR_BYTES = 60;

// The clients live in a child process, so their sockets are not in this heap.
const CLIENT_REQUEST =
  'GET /idle?x=1 HTTP/1.1\r\nHost: idle.test\r\nUser-Agent: idle/1\r\nAccept: */*\r\n\r\n';

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * The lowest heap of eight readings half a second apart: closed sockets leave the heap only
 * after their handles' close callbacks, and idle connections trim themselves after a second.
 */
async function settledHeap(): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY;
  for (let reading = 0; reading < 8; reading++) {
    await sleep(500);
    lowest = Math.min(lowest, heapUsed());
  }
  return lowest;
}

/**
 * The settled heap with `count` idle clients connected to `port`, minus the settled heap before
 * them, per client. Resolves after the clients are gone.
 */
async function heapPerIdleConnection(
  port: number,
  count: number,
  open: () => Promise<number>,
): Promise<number> {
  // The connections of the reading before are closed first, so the baseline holds none.
  for (let wait = 0; wait < 100 && (await open()) > 0; wait++) await sleep(50);
  expect(await open()).toBe(0);
  const before = await settledHeap();
  return withIdleClients(CLIENT_REQUEST, port, count, async () => {
    const lowest = await settledHeap();
    return (lowest - before) / count;
  });
}

const CANNED = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', 'latin1');

describe('an idle keep-alive connection', () => {
  it(`costs the transport at most ${OVER_RAW_BAR_BYTES} B of heap above a bare net server's socket`, {
    timeout: 60_000,
  }, async () => {
    const raw = net.createServer((socket) => {
      socket.on('data', () => socket.write(CANNED));
      socket.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const target = await startServer({
      limits: { keepAliveTimeoutMs: 120_000, headerTimeoutMs: 120_000 },
      handler: (_request, sink) => sink.send(200, 'Content-Type: text/plain\r\n', 'hello'),
    });
    try {
      const rawPort = (raw.address() as net.AddressInfo).port;
      const rawOpen = () =>
        new Promise<number>((resolve, reject) =>
          raw.getConnections((error, count) => (error ? reject(error) : resolve(count))),
        );
      const ourOpen = async () => target.server.connectionCount;
      // Warm both servers first, so compiled code and caches are in both baselines.
      await heapPerIdleConnection(rawPort, 50, rawOpen);
      await heapPerIdleConnection(target.port, 50, ourOpen);
      const rawBytes = await heapPerIdleConnection(rawPort, CONNECTIONS, rawOpen);
      const ourBytes = await heapPerIdleConnection(target.port, CONNECTIONS, ourOpen);
      console.log(
        `[idle-heap] ${CONNECTIONS} connections: net ${rawBytes.toFixed(0)} B, transport ${ourBytes.toFixed(0)} B, over net ${(ourBytes - rawBytes).toFixed(0)} B per connection`,
      );
      // Both measured something: a socket costs a bare server heap too.
      expect(rawBytes).toBeGreaterThan(500);
      expect(ourBytes - rawBytes).toBeLessThan(OVER_RAW_BAR_BYTES);
    } finally {
      await target.stop();
      await new Promise((resolve) => raw.close(resolve));
    }
  });
});

describe('endpoints with a request domain', () => {
  it('are shared by the connections that name the same Host, and differ per Host', async () => {
    const seen: Endpoint[] = [];
    const target = await startServer({
      handler: (request, sink) => {
        seen.push(request.endpoint);
        sink.send(200, '', 'ok');
      },
    });
    try {
      for (const host of ['a.test', 'a.test:80', 'b.test', 'a.test']) {
        const { response } = await exchange(target.port, `GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
        expect(response.status).toBe(200);
      }
      const [first, withPort, other, again] = seen;
      expect(first?.domain).toBe('a.test');
      expect(other?.domain).toBe('b.test');
      // Four connections: the same Host gets the very same frozen endpoint.
      expect(again).toBe(first);
      expect(withPort?.domain).toBe('a.test');
      expect(other).not.toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
    } finally {
      await target.stop();
    }
  });

  it('past 64 Hosts on one listener address, a request still gets its own endpoint with its domain', async () => {
    const domains: string[] = [];
    const target = await startServer({
      handler: (request, sink) => {
        domains.push(request.endpoint.domain);
        sink.send(200, '', 'ok');
      },
    });
    try {
      for (let i = 0; i < 70; i++) {
        const { response } = await exchange(
          target.port,
          `GET / HTTP/1.1\r\nHost: h${i}.test\r\n\r\n`,
          '127.0.0.1',
          0,
        );
        expect(response.status).toBe(200);
      }
      expect(domains).toEqual(Array.from({ length: 70 }, (_, i) => `h${i}.test`));
    } finally {
      await target.stop();
    }
  });
});
