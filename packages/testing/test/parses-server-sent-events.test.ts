import { type SseMessage, TestClient } from '@bbws/testing';
import { HttpServer, type RequestHandler } from '@bbws/transport';
import { describe, expect, it } from 'vitest';
import { Gate } from './support/gate.js';

function sseServer(source: () => AsyncIterable<string>, type = 'text/event-stream'): HttpServer {
  const handler: RequestHandler = (request, sink) => {
    let accept = '';
    for (let i = 0; i < request.headers.length; i += 2)
      if (request.headers[i] === 'accept') accept = request.headers[i + 1] as string;
    void sink.stream(
      200,
      `Content-Type: ${type}\r\nCache-Control: no-cache\r\nX-Accept: ${accept}\r\n`,
      source(),
    );
  };
  return new HttpServer({ handler, listeners: [] });
}

describe('client.sse()', () => {
  it('parses events, ids, multi-line data and events split across chunks', async () => {
    const retries: number[] = [];
    const comments: string[] = [];
    const server = sseServer(async function* () {
      yield ': heartbeat\n\n';
      yield 'retry: 3000\n\n';
      yield 'event: update\nid: 1\ndata: {"n":1}\n\n';
      yield 'data: line one\ndata: line';
      yield ' two\n\n';
      yield 'id: 7\nevent: done\ndata:\n\n';
    });
    const events: SseMessage[] = [];
    for await (const event of TestClient.fromServer(server).sse('/events', {
      onRetry: (ms) => retries.push(ms),
      onComment: (c) => comments.push(c),
    }))
      events.push(event);
    expect(events).toEqual([
      { event: 'update', id: '1', data: '{"n":1}' },
      { event: undefined, id: undefined, data: 'line one\nline two' },
      { event: 'done', id: '7', data: '' },
    ]);
    expect(retries).toEqual([3000]);
    expect(comments).toEqual(['heartbeat']);
  });

  it('yields each event as it arrives and closes the stream when the loop is left', async () => {
    const gate = new Gate();
    let isSecondSent = false;
    let isClosed = false;
    const server = sseServer(async function* () {
      try {
        yield 'data: one\n\n';
        await gate.promise;
        isSecondSent = true;
        yield 'data: two\n\n';
        for (;;) {
          yield ': keep-alive\n\n';
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        isClosed = true;
      }
    });
    const data: string[] = [];
    for await (const event of TestClient.fromServer(server).sse('/events')) {
      data.push(event.data);
      if (data.length === 1) {
        expect(isSecondSent).toBe(false);
        gate.open();
      } else break;
    }
    expect(data).toEqual(['one', 'two']);
    await expect.poll(() => isClosed).toBe(true);
  });

  it('asks for text/event-stream unless told otherwise', async () => {
    const server = sseServer(async function* () {});
    const client = TestClient.fromServer(server);
    const res = await client.stream('/', { headers: { Accept: 'text/event-stream' } });
    expect(res.headers['x-accept']).toBe('text/event-stream');
    res.close();
  });

  it('throws a coded error when the answer is not an event stream', async () => {
    const server = sseServer(async function* () {
      yield '{}';
    }, 'application/json');
    const events = TestClient.fromServer(server).sse('/');
    await expect(events.next()).rejects.toMatchObject({
      code: 'BBWS_ERR_TESTING_NOT_EVENT_STREAM',
      message: expect.stringContaining('application/json'),
    });
  });
});
