import { setTimeout as sleep } from 'node:timers/promises';
import { type App, Controller, createApp, Get, MIME_TYPE, SseEvent, StreamResponse } from 'bbwebservice';
import { TestClient } from 'bbwebservice/testing';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

@Controller('::/')
class EventsController {
  @Get('/events', { type: MIME_TYPE.DYNAMIC })
  events() {
    async function* ticks() {
      yield new SseEvent('first line\nsecond line', { event: 'multi', id: '1', retry: 2500 }).toBytes();
      yield new SseEvent({ n: 2 }, { id: '2' }).toBytes();
      yield new SseEvent('x'.repeat(5000), { event: 'big', id: '3' }).toBytes();
    }
    return new StreamResponse(ticks(), { mimeType: MIME_TYPE.EVENT_STREAM });
  }

  /** A route typed as an event stream: the StreamResponse inherits it, and gets heartbeats. */
  @Get('/slow', { type: MIME_TYPE.EVENT_STREAM })
  slow() {
    async function* slowTicks() {
      yield new SseEvent('a', { id: 'a' }).toString();
      await sleep(150);
      yield new SseEvent('b', { id: 'b' }).toString();
    }
    return new StreamResponse(slowTicks(), { heartbeatMs: 40 });
  }
}

let app: App;
beforeAll(async () => {
  app = createApp({ controllers: [EventsController], config: { server: [{ ip: '127.0.0.1', port: 0 }] } });
  await app.start();
});
afterAll(() => app.stop());

function parseAll(body: Buffer | string): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e) });
  parser.feed(body.toString());
  return events;
}

const expected = [
  { event: 'multi', id: '1', data: 'first line\nsecond line' },
  { event: undefined, id: '2', data: '{"n":2}' },
  { event: 'big', id: '3', data: 'x'.repeat(5000) },
];

describe('server-sent events', () => {
  it('over TCP: events arrive as a never-compressed, uncached event stream and parse back', async () => {
    const port = app.addresses[0]?.port ?? 0;
    const res = await request(`http://127.0.0.1:${port}/events`, {
      headers: { accept: 'text/event-stream', 'accept-encoding': 'gzip, br' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');
    const events: EventSourceMessage[] = [];
    let retry = 0;
    const parser = createParser({
      onEvent: (e) => events.push(e),
      onRetry: (ms) => {
        retry = ms;
      },
    });
    for await (const chunk of res.body) parser.feed(Buffer.from(chunk).toString());
    expect(events.map(({ event, id, data }) => ({ event, id, data }))).toEqual(expected);
    expect(retry).toBe(2500);
  });

  it('in memory: the same events', async () => {
    const res = await TestClient.fromApp(app).get('/events');
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(parseAll(res.bytes()).map(({ event, id, data }) => ({ event, id, data }))).toEqual(expected);
  });

  it('sends heartbeat comments while the source is silent; the parser sees only the events', async () => {
    const res = await TestClient.fromApp(app).get('/slow');
    const text = res.text();
    expect(text.split(':\n\n').length - 1).toBeGreaterThanOrEqual(2);
    expect(parseAll(text).map((e) => e.data)).toEqual(['a', 'b']);
    expect(res.headers['content-type']).toBe('text/event-stream');
  });
});
