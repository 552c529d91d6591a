import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ResponseSink } from '../src/index.js';
import { header, RawClient, startServer, type TestServer } from './support/servers.js';

// Issue 11, bug 2: the clock was read once per data chunk, so a pipelined request's
// handler_timeout counted from when its chunk arrived, and its Date was as old as the chunk.

let target: TestServer | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await target?.stop();
  target = null;
});

/** Counts the clock reads made by the connection code (not the sweep's, not the test's). */
function countConnectionClockReads(): { readonly count: () => number } {
  const now = Date.now.bind(Date);
  let reads = 0;
  vi.spyOn(Date, 'now').mockImplementation(() => {
    // The first frame in the transport's source is the reader.
    const caller = new Error().stack?.split('\n').find((line) => line.includes('/src/')) ?? '';
    if (caller.includes('/src/connection/connection.ts')) reads++;
    return now();
  });
  return { count: () => reads };
}

describe('deadlines and Date are per request', () => {
  it('a pipelined request behind a slow one gets its whole handler_timeout', async () => {
    target = await startServer({
      limits: { handlerTimeoutMs: 2000 },
      handler: (request, sink) => {
        if (request.path === '/slow') {
          // CPU work that holds the loop for 1.2 s, then a synchronous answer.
          const until = Date.now() + 1200;
          while (Date.now() < until) {}
          sink.send(200, '', request.path);
        } else {
          setTimeout(() => sink.send(200, '', request.path), 1100);
        }
      },
    });
    const client = await RawClient.connect(target.port);
    try {
      // One write, so both requests arrive in one chunk.
      client.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n');
      const first = await client.read();
      const second = await client.read();
      expect([first.status, first.body.toString()]).toEqual([200, '/slow']);
      expect([second.status, second.body.toString()]).toEqual([200, '/fast']);
      expect(target.server.timeoutCounts()['timeouts.handler']).toBe(0);
    } finally {
      client.close();
    }
  });

  it('Date is the second the head is written, even after a handler that blocked the loop', async () => {
    let sentAt = 0;
    target = await startServer({
      handler: (_request, sink) => {
        const until = Date.now() + 1300;
        while (Date.now() < until) {
          // A synchronous handler that holds the event loop for 1.3 s.
        }
        sentAt = Date.now();
        sink.send(200, '', 'late');
      },
    });
    const client = await RawClient.connect(target.port);
    try {
      client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      const response = await client.read();
      const date = Date.parse(header(response, 'date') ?? '');
      expect(date).toBeGreaterThanOrEqual(Math.floor(sentAt / 1000) * 1000);
    } finally {
      client.close();
    }
  });

  it('a request answered before its handler returns reads the clock once, when its head is written', async () => {
    target = await startServer({ handler: (request, sink) => sink.send(200, '', request.path) });
    const client = await RawClient.connect(target.port);
    try {
      // A first request, so the connection is past its setup (which reads the clock for header_timeout).
      client.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\n');
      expect((await client.read()).status).toBe(200);
      const clock = countConnectionClockReads();
      client.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(5));
      for (let k = 0; k < 10; k++) expect((await client.read()).status).toBe(200);
      expect(clock.count()).toBe(10);
    } finally {
      client.close();
    }
  });

  it('a handler that returns before answering reads the clock when it returns; handler_timeout counts from then', async () => {
    let blockMs = 0;
    let returnedAt = 0;
    target = await startServer({
      limits: { handlerTimeoutMs: 300 },
      handler: () => {
        // Holds the loop, then returns without an answer (it never gives one).
        const until = Date.now() + blockMs;
        while (Date.now() < until) {}
        returnedAt = Date.now();
      },
    });
    for (const ms of [0, 400]) {
      blockMs = ms;
      const client = await RawClient.connect(target.port);
      try {
        client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
        const response = await client.read();
        const waited = Date.now() - returnedAt;
        expect(response.status).toBe(504);
        // Never early; at most one sweep period (75 ms here) late, with room for a slow machine.
        expect(waited).toBeGreaterThanOrEqual(300);
        expect(waited).toBeLessThan(300 + 75 + 150);
      } finally {
        client.close();
      }
    }
    expect(target.server.timeoutCounts()['timeouts.handler']).toBe(2);
  });

  it('an answer given later reads the clock twice: when the handler returns and when the head is written', async () => {
    let pending: ResponseSink | null = null;
    target = await startServer({
      handler: (_request, sink) => {
        pending = sink;
      },
    });
    const client = await RawClient.connect(target.port);
    try {
      client.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\n');
      await vi.waitFor(() => expect(pending).not.toBeNull());
      (pending as ResponseSink | null)?.send(200, '', 'first');
      expect((await client.read()).status).toBe(200);
      pending = null;
      const clock = countConnectionClockReads();
      client.write('GET /second HTTP/1.1\r\nHost: x\r\n\r\n');
      await vi.waitFor(() => expect(pending).not.toBeNull());
      expect(clock.count()).toBe(1);
      (pending as ResponseSink | null)?.send(200, '', 'second');
      expect((await client.read()).status).toBe(200);
      expect(clock.count()).toBe(2);
    } finally {
      client.close();
    }
  });
});
