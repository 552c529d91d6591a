import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponseSink } from '../src/index.js';
import { certificateDir, makeCertificate } from './support/certificates.js';
import { RawClient, startServer, type TestServer } from './support/servers.js';

// Issue 11, bugs 9 to 12: every wait has a deadline and every body a bound. Real sockets.

let target: TestServer | null = null;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await target?.stop();
  target = null;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MiB = 1_048_576;

/** A raw socket that collects what it reads; `paused` stops reading (the kernel buffers fill). */
async function connect(
  port: number,
): Promise<{ socket: net.Socket; received: () => number; closed: () => boolean }> {
  const socket = net.connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = 0;
  let closed = false;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    closed = true;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => received, closed: () => closed };
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await sleep(20);
  return condition();
}

describe('bodies: idle deadline and one memory budget', () => {
  it('a body that stops arriving gets 408 at body_idle_timeout, not after its average rate runs out', async () => {
    target = await startServer({ limits: { bodyIdleTimeoutMs: 500, bodyMinBytesPerSec: 1024 } });
    const client = await RawClient.connect(target.port);
    try {
      // 100 KB at once covers the minimum rate for ~98 s; only the idle deadline can cut it.
      client.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n${'a'.repeat(100_000)}`);
      const started = Date.now();
      const response = await client.read();
      expect(response.status).toBe(408);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await client.isClosedWithin(1000)).toBe(true);
      expect(target.server.timeoutCounts()['timeouts.body']).toBe(1);
    } finally {
      client.close();
    }
  });

  it('bodies in progress share max_body_buffer_total: one that does not fit is refused at once with 503', async () => {
    target = await startServer({ maxBodyBufferTotal: MiB });
    const first = await RawClient.connect(target.port);
    const second = await RawClient.connect(target.port);
    const third = await RawClient.connect(target.port);
    try {
      first.write('POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 700000\r\n\r\nab');
      expect(await until(() => target?.server.bodyBufferBytes === 700_000, 1000)).toBe(true);
      second.write('POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 700000\r\n\r\nab');
      const refused = await second.read();
      expect(refused.status).toBe(503);
      expect(await second.isClosedWithin(1000)).toBe(true);
      first.write('c'.repeat(699_998));
      expect((await first.read()).status).toBe(200);
      expect(target.server.bodyBufferBytes).toBe(0);
      third.write(`POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 700000\r\n\r\n${'d'.repeat(700_000)}`);
      expect((await third.read()).status).toBe(200);
      expect(target.server.bodyBufferBytes).toBe(0);
    } finally {
      first.close();
      second.close();
      third.close();
    }
  });

  it('the budget is returned when a client leaves in the middle of its body', async () => {
    target = await startServer({ maxBodyBufferTotal: MiB });
    const client = await RawClient.connect(target.port);
    client.write('POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10000\r\n');
    client.write(Buffer.alloc(0x8000, 0x61));
    expect(await until(() => (target?.server.bodyBufferBytes ?? 0) > 0, 1000)).toBe(true);
    client.close();
    expect(await until(() => target?.server.bodyBufferBytes === 0, 2000)).toBe(true);
  });
});

describe('responses: a client that stops reading does not hold its slot', () => {
  it('closes the connection at send_timeout, frees the slot and counts it', async () => {
    const big = Buffer.alloc(64 * MiB, 0x62);
    target = await startServer({
      limits: { sendTimeoutMs: 500 },
      handler: (_request, sink) => sink.send(200, '', big),
    });
    const client = await connect(target.port);
    client.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await until(() => client.received() > 0, 2000)).toBe(true);
    client.socket.pause();
    expect(target.server.inFlight).toBe(1);
    expect(await until(() => target?.server.inFlight === 0, 3000)).toBe(true);
    expect(target.server.timeoutCounts()['timeouts.send']).toBe(1);
    expect(client.received()).toBeLessThan(big.length);
    client.socket.resume();
    expect(await until(client.closed, 3000)).toBe(true);
  });

  it('a client that reads slowly but keeps reading gets the whole body', async () => {
    const body = Buffer.alloc(96 * MiB, 0x63);
    target = await startServer({
      // Generous against a loaded machine (a late timer must not look like a stalled client);
      // the whole transfer still takes several times this long.
      limits: { sendTimeoutMs: 2000 },
      handler: (_request, sink) => sink.send(200, '', body),
    });
    const client = await connect(target.port);
    client.socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    // Read in short bursts every 300 ms (the kernel buffers hold a few MiB between them), for
    // longer than send_timeout overall: one write of the whole body would show no progress.
    let bursts = 0;
    const started = Date.now();
    for (; bursts < 400 && !client.closed(); bursts++) {
      client.socket.pause();
      await sleep(300);
      client.socket.resume();
      await sleep(5);
    }
    expect(Date.now() - started).toBeGreaterThan(2000);
    expect(client.closed()).toBe(true);
    expect(client.received()).toBeGreaterThan(body.length);
    expect(target.server.timeoutCounts()['timeouts.send']).toBe(0);
  }, 120_000);

  it('a handler slower than send_timeout does not count against its answer: a client that keeps reading gets it all', async () => {
    const body = Buffer.alloc(32 * MiB, 0x65);
    target = await startServer({
      // The handler takes longer than send_timeout; the clock for write progress starts when
      // the answer's bytes wait, not when the request arrived.
      limits: { sendTimeoutMs: 1000 },
      handler: (_request, sink) => void setTimeout(() => sink.send(200, '', body), 1500),
    });
    const client = await connect(target.port);
    // Not reading when the answer starts, for less than send_timeout, then reading in bursts.
    client.socket.pause();
    client.socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await sleep(1500 + 500);
    let bursts = 0;
    for (; bursts < 400 && !client.closed(); bursts++) {
      client.socket.resume();
      await sleep(5);
      client.socket.pause();
      await sleep(200);
    }
    client.socket.resume();
    expect(client.closed()).toBe(true);
    expect(client.received()).toBeGreaterThan(body.length);
    expect(target.server.timeoutCounts()['timeouts.send']).toBe(0);
  }, 120_000);

  it('the last response before a close is not cut by the linger deadline while it is still read', async () => {
    const body = Buffer.alloc(24 * MiB, 0x64);
    target = await startServer({ handler: (_request, sink) => sink.send(200, '', body) });
    const client = await connect(target.port);
    client.socket.write('GET / HTTP/1.0\r\n\r\n');
    client.socket.pause();
    await sleep(2600);
    client.socket.resume();
    expect(await until(client.closed, 10_000)).toBe(true);
    expect(client.received()).toBeGreaterThan(body.length);
  }, 20_000);

  it('a request that waits for a slot longer than connection_queue_timeout gets 503 and is counted', async () => {
    let held: ResponseSink | null = null;
    target = await startServer({
      limits: { maxInFlight: 1, queueTimeoutMs: 300, handlerTimeoutMs: 0 },
      handler: (request, sink) => {
        if (request.path === '/hold') held = sink;
        else sink.send(200, '', 'ok');
      },
    });
    const holder = await RawClient.connect(target.port);
    const waiter = await RawClient.connect(target.port);
    try {
      holder.write('GET /hold HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(await until(() => held !== null, 1000)).toBe(true);
      const started = Date.now();
      waiter.write('GET /other HTTP/1.1\r\nHost: x\r\n\r\n');
      const response = await waiter.read();
      expect(response.status).toBe(503);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(target.server.timeoutCounts()['timeouts.slot']).toBe(1);
      (held as ResponseSink | null)?.send(200, '', 'released');
      expect((await holder.read()).status).toBe(200);
    } finally {
      holder.close();
      waiter.close();
    }
  });
});

describe('streams end when the client leaves', () => {
  it('calls return() on the source as soon as the client closes its side', async () => {
    let returnedAt = 0;
    let firstSentAt = 0;
    target = await startServer({
      handler: (_request, sink) => {
        let sent = false;
        // A source whose second next() never settles: only return() can end it.
        const source: AsyncIterableIterator<string> = {
          [Symbol.asyncIterator]: () => source,
          next: () => {
            if (sent) return new Promise<IteratorResult<string>>(() => {});
            sent = true;
            firstSentAt = Date.now();
            return Promise.resolve({ done: false, value: 'event\n' });
          },
          return: async () => {
            returnedAt = Date.now();
            return { done: true, value: undefined };
          },
        };
        void sink.stream(200, '', source);
      },
    });
    const client = await connect(target.port);
    client.socket.write('GET /events HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await until(() => client.received() > 0, 2000)).toBe(true);
    const leftAt = Date.now();
    client.socket.end();
    expect(await until(() => returnedAt > 0, 1000)).toBe(true);
    expect(returnedAt - leftAt).toBeLessThan(500);
    expect(firstSentAt).toBeGreaterThan(0);
    expect(await until(client.closed, 2000)).toBe(true);
    expect(target.server.inFlight).toBe(0);
  });

  it('a body of known length is still written to a client that half-closed after its request', async () => {
    target = await startServer({
      handler: (_request, sink) => {
        async function* pieces() {
          for (let i = 0; i < 5; i++) {
            await sleep(30);
            yield Buffer.from('12345');
          }
        }
        void sink.streamFixed(200, '', 25, pieces());
      },
    });
    const client = await RawClient.connect(target.port);
    try {
      client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      client.socket.end();
      const response = await client.read();
      expect(response.body.toString()).toBe('12345'.repeat(5));
    } finally {
      client.close();
    }
  });
});

describe('TLS: sockets in their handshake count toward max_connections', () => {
  it('drops a TCP connection over the cap before any TLS work, and serves again once the handshakes timed out', async () => {
    const temp = certificateDir();
    try {
      const { cert, key } = makeCertificate(temp.dir, 'a', 'localhost');
      target = await startServer({
        listeners: [
          {
            ip: '127.0.0.1',
            port: 0,
            tls: { certPath: cert, keyPath: key, handshakeTimeoutMs: 500 },
            limits: { maxConnections: 3 },
          },
        ],
      });
      const idle = await Promise.all([connect(target.port), connect(target.port), connect(target.port)]);
      await sleep(100);
      const over = await connect(target.port);
      expect(await until(over.closed, 1000)).toBe(true);
      for (const client of idle) expect(client.closed()).toBe(false);
      // Places held by sockets that never finished a handshake are freed at ssl_handshake_timeout.
      for (const client of idle) client.socket.destroy();
      await sleep(900);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port: target?.port, rejectUnauthorized: false }, () =>
          socket.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'),
        );
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
        });
        socket.on('error', reject);
        socket.on('close', () => resolve(text));
      });
      expect(answer.startsWith('HTTP/1.1 200 ')).toBe(true);
    } finally {
      temp.remove();
    }
  });
});
