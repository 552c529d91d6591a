import { afterEach, describe, expect, it } from 'vitest';
import { header, RawClient, startServer, type TestServer } from './support/servers.js';

// Issue 11, bug 2: the clock was read once per data chunk, so a pipelined request's
// handler_timeout counted from when its chunk arrived, and its Date was as old as the chunk.

let target: TestServer | null = null;
afterEach(async () => {
  await target?.stop();
  target = null;
});

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
});
