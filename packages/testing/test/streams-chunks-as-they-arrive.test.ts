import { TestClient } from '@bbws/testing';
import { HttpServer, type RequestHandler } from '@bbws/transport';
import { describe, expect, it, vi } from 'vitest';
import { Gate } from './support/gate.js';

function serverStreaming(source: () => AsyncIterable<string | Uint8Array>, type = 'text/plain'): HttpServer {
  const handler: RequestHandler = (_request, sink) => {
    void sink.stream(200, `Content-Type: ${type}\r\nX-Stream: yes\r\n`, source());
  };
  return new HttpServer({ handler, listeners: [] });
}

describe('client.stream()', () => {
  it('resolves at the head and yields each chunk before the server produced the next', async () => {
    const gate = new Gate();
    let isSecondProduced = false;
    const server = serverStreaming(async function* () {
      yield 'first';
      await gate.promise;
      isSecondProduced = true;
      yield 'second';
    });
    const res = await TestClient.fromServer(server).stream('/ticks');
    expect(res.status).toBe(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['x-stream']).toBe('yes');
    const chunks: string[] = [];
    for await (const chunk of res) {
      chunks.push(chunk.toString());
      if (chunks.length === 1) {
        expect(isSecondProduced).toBe(false);
        gate.open();
      }
    }
    expect(chunks).toEqual(['first', 'second']);
  });

  it('disconnects when the loop is left early, so the source is closed', async () => {
    let isFinallyRun = false;
    let produced = 0;
    const server = serverStreaming(async function* () {
      try {
        for (; produced < 10_000; produced++) {
          yield `tick ${produced}\n`;
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        isFinallyRun = true;
      }
    });
    const res = await TestClient.fromServer(server).stream('/');
    let seen = 0;
    for await (const _ of res) if (++seen === 3) break;
    await vi.waitFor(() => expect(isFinallyRun).toBe(true));
    expect(produced).toBeLessThan(10_000);
  });

  it('reads the rest of a body with text(), bytes() or json()', async () => {
    const json = serverStreaming(async function* () {
      yield '{"a":';
      yield Buffer.from('[1,2]}');
    });
    expect(await (await TestClient.fromServer(json).stream('/')).json()).toEqual({ a: [1, 2] });
    const res = await TestClient.fromServer(json).stream('/');
    expect(await res.text()).toBe('{"a":[1,2]}');
    await expect(res.text()).rejects.toMatchObject({ code: 'BBWS_ERR_TESTING_BODY_USED' });
  });

  it('keeps the chunk boundaries of a buffered response too', async () => {
    const server = serverStreaming(async function* () {
      yield 'a';
      yield 'bc';
      yield 'def';
    });
    const res = await TestClient.fromServer(server).get('/');
    expect(res.text()).toBe('abcdef');
    const chunks: string[] = [];
    for await (const chunk of res) chunks.push(chunk.toString());
    expect(chunks).toEqual(['a', 'bc', 'def']);
  });

  it('gives a HEAD stream no body', async () => {
    const server = serverStreaming(async function* () {
      yield 'never sent';
    });
    const res = await TestClient.fromServer(server).stream('/', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.bytes()).toHaveLength(0);
  });
});
