import { TestClient } from '@bbws/testing';
import { describe, expect, it } from 'vitest';
import { type Echo, echoServer } from './support/echo-server.js';
import { flushTicks } from './support/ticks.js';

const client = TestClient.fromServer(echoServer());

describe('client.raw()', () => {
  it('answers pipelined requests in order, HEAD ones without a body', async () => {
    const [a, b, c] = await client.raw(
      'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nHEAD /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      { responses: 3, isHead: [false, true, false] },
    );
    expect(a?.json<Echo>().path).toBe('/1');
    expect(b?.bytes()).toHaveLength(0);
    expect(Number(b?.headers['content-length'])).toBeGreaterThan(0);
    expect(c?.json<Echo>().path).toBe('/3');
  });

  it('takes the endpoint options', async () => {
    const [res] = await client.raw(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), {
      port: 8080,
    });
    expect(res?.json<Echo>().endpoint.port).toBe(8080);
  });
});

describe('client.connect()', () => {
  it('lets a test write a request in pieces and watch the connection', async () => {
    const connection = client.connect();
    connection.write('GET /piece');
    connection.write('s HTTP/1.1\r\nHo');
    await flushTicks();
    expect(connection.receivedBytes).toBe(0);
    connection.write('st: x\r\n\r\n');
    const res = await connection.read();
    expect(res.json<Echo>().target).toBe('/pieces');
    connection.write('GET /again HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect((await connection.read()).json<Echo>().target).toBe('/again');
    await connection.closed();
    expect(connection.isClosed).toBe(true);
    expect(connection.isDrained).toBe(true);
  });
});
