import { afterEach, describe, expect, it } from 'vitest';
import type { ResponseSink } from '../src/index.js';
import { RawClient, startServer, type TestServer } from './support/servers.js';

let target: TestServer | null = null;
afterEach(async () => {
  await target?.stop();
  target = null;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('timeouts', () => {
  it('answers 408 when a head does not complete within header_timeout (slowloris) and counts it', async () => {
    target = await startServer({ limits: { headerTimeoutMs: 300 } });
    const client = await RawClient.connect(target.port);
    client.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const started = Date.now();
    const response = await client.read();
    expect(response.status).toBe(408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(await client.isClosedWithin(1000)).toBe(true);
    expect(target.server.timeoutCounts()).toEqual({
      'timeouts.header': 1,
      'timeouts.body': 0,
      'timeouts.handler': 0,
      'timeouts.send': 0,
      'timeouts.slot': 0,
    });
    client.close();
  });

  it('counts header_timeout from the first byte even when bytes keep trickling in', async () => {
    target = await startServer({ limits: { headerTimeoutMs: 400 } });
    const client = await RawClient.connect(target.port);
    const reading = client.read();
    for (let i = 0; i < 20 && !(await client.isClosedWithin(0)); i++) {
      client.write('X');
      await sleep(50);
    }
    expect((await reading).status).toBe(408);
    client.close();
  });

  it('closes a connection that sends nothing within header_timeout, without an answer', async () => {
    target = await startServer({ limits: { headerTimeoutMs: 200 } });
    const client = await RawClient.connect(target.port);
    expect(await client.isClosedWithin(2000)).toBe(true);
    expect(client.reader.rest.length).toBe(0);
    expect(await client.reader.next()).toBeNull();
    expect(target.server.timeoutCounts()['timeouts.header']).toBe(0);
    client.close();
  });

  it('answers 408 when a body arrives slower than body_min_rate_bytes_per_sec and counts it', async () => {
    target = await startServer({ limits: { bodyMinBytesPerSec: 1000 } });
    const client = await RawClient.connect(target.port);
    client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n0123456789');
    const response = await client.read();
    expect(response.status).toBe(408);
    expect(target.server.timeoutCounts()['timeouts.body']).toBe(1);
    client.close();
  });

  it('accepts a slow body that keeps above the minimum rate', async () => {
    target = await startServer({ limits: { bodyMinBytesPerSec: 100 } });
    const client = await RawClient.connect(target.port);
    client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 600\r\n\r\n');
    for (let i = 0; i < 6; i++) {
      client.write('a'.repeat(100));
      await sleep(250);
    }
    expect((await client.read()).status).toBe(200);
    client.close();
  });

  it('answers 504 when a handler has not begun its response within handler_timeout, and ignores its late answer', async () => {
    let late: ResponseSink | null = null;
    target = await startServer({
      limits: { handlerTimeoutMs: 200 },
      handler: (_request, sink) => {
        late = sink;
      },
    });
    const client = await RawClient.connect(target.port);
    client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const response = await client.read();
    expect(response.status).toBe(504);
    expect(response.headerList).toContainEqual(['connection', 'close']);
    (late as ResponseSink | null)?.send(200, '', 'too late');
    expect(await client.isClosedWithin(1000)).toBe(true);
    expect(client.reader.rest.length).toBe(0);
    expect(target.server.timeoutCounts()).toEqual({
      'timeouts.header': 0,
      'timeouts.body': 0,
      'timeouts.handler': 1,
      'timeouts.send': 0,
      'timeouts.slot': 0,
    });
    client.close();
  });

  it('does not time out a handler whose streamed response has begun', async () => {
    target = await startServer({
      limits: { handlerTimeoutMs: 150 },
      handler: (_request, sink) => {
        void sink.stream(
          200,
          '',
          (async function* () {
            yield 'a';
            await sleep(400);
            yield 'b';
          })(),
        );
      },
    });
    const client = await RawClient.connect(target.port);
    client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const response = await client.read();
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('ab');
    client.close();
  });

  it('closes an idle kept-alive connection after keep_alive_timeout', async () => {
    target = await startServer({ limits: { keepAliveTimeoutMs: 300 } });
    const client = await RawClient.connect(target.port);
    client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect((await client.read()).status).toBe(200);
    expect(await client.isClosedWithin(100)).toBe(false);
    expect(await client.isClosedWithin(1500)).toBe(true);
    client.close();
  });
});
