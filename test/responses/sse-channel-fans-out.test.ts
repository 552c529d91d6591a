import net from 'node:net';
import { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type App,
  Controller,
  createApp,
  Get,
  MIME_TYPE,
  Param,
  SseChannel,
  SseEvent,
  type SseSubscribeInit,
  type StreamEndEvent,
  toFetchHandler,
} from 'bbwebservice';
import { TestClient } from 'bbwebservice/testing';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Each test makes its own channel under a name; `/ch/NAME` subscribes to it. */
const channels = new Map<string, { channel: SseChannel; init: SseSubscribeInit }>();
/** How each subscriber's stream ended, per channel name, in order. */
const ends = new Map<string, StreamEndEvent[]>();

function channelFor(name: string, init: SseSubscribeInit = {}, maxBufferedBytes?: number): SseChannel {
  const channel = new SseChannel(maxBufferedBytes === undefined ? {} : { maxBufferedBytes });
  channels.set(name, { channel, init });
  ends.set(name, []);
  return channel;
}

@Controller('::/')
class ChannelController {
  @Get('/ch/{name:str}', { type: MIME_TYPE.DYNAMIC })
  subscribe(@Param('name') name: string) {
    const entry = channels.get(name);
    if (entry === undefined) return 'no such channel';
    return entry.channel.subscribe({
      ...entry.init,
      onEnd: (event) => ends.get(name)?.push(event),
    });
  }
}

let app: App;
let port = 0;
const sockets: net.Socket[] = [];
beforeAll(async () => {
  app = createApp({
    controllers: [ChannelController],
    // send_timeout 1 s: the stalled-client test waits for it.
    config: { server: [{ ip: '127.0.0.1', port: 0 }], send_timeout: 1, log: { levels: ['critical'] } },
  });
  await app.start();
  port = app.addresses[0]?.port ?? 0;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await app.stop();
});

async function until(condition: () => boolean, what: string, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (condition()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A raw TCP subscriber: collects the bytes; `body()` undoes the chunked coding. */
function tcpSubscriber(path: string) {
  const socket = net.connect(port, '127.0.0.1');
  sockets.push(socket);
  const parts: Buffer[] = [];
  let closed = false;
  socket.on('data', (chunk: Buffer) => parts.push(chunk));
  socket.on('error', () => {});
  socket.on('close', () => {
    closed = true;
  });
  socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n`);
  const raw = () => Buffer.concat(parts);
  return {
    socket,
    raw,
    closed: () => closed,
    head: () => {
      const text = raw().toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      return end === -1 ? null : text.slice(0, end);
    },
    body: () => dechunk(raw()),
  };
}

function dechunk(raw: Buffer): { body: Buffer; isComplete: boolean; sizes: number[] } {
  const headEnd = raw.indexOf('\r\n\r\n');
  const body: Buffer[] = [];
  const sizes: number[] = [];
  let at = headEnd + 4;
  while (headEnd !== -1 && at < raw.length) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = Number.parseInt(raw.toString('latin1', at, lineEnd), 16);
    if (size === 0) return { body: Buffer.concat(body), isComplete: true, sizes };
    if (lineEnd + 2 + size + 2 > raw.length) break;
    sizes.push(size);
    body.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return { body: Buffer.concat(body), isComplete: false, sizes };
}

function parseAll(text: string): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e) });
  parser.feed(text);
  return events;
}

describe('SseChannel: one publish reaches every subscriber', () => {
  it('over TCP and in memory, every subscriber gets every event in order, parsed back', async () => {
    const channel = channelFor('fan', { limits: { idleTimeoutMs: 0 } });
    const tcp = [tcpSubscriber('/ch/fan'), tcpSubscriber('/ch/fan'), tcpSubscriber('/ch/fan')];
    const client = TestClient.fromApp(app);
    const inMemory: EventSourceMessage[] = [];
    const reading = (async () => {
      for await (const event of client.sse('/ch/fan')) {
        inMemory.push({ ...event, event: event.event, id: event.id } as EventSourceMessage);
        if (event.data === 'last') break;
      }
    })();
    await until(() => channel.size === 4, 'four subscribers');
    await until(() => tcp.every((sub) => sub.head() !== null), 'the heads over TCP');
    for (const sub of tcp) {
      expect(sub.head()).toMatch(/^HTTP\/1\.1 200/);
      expect(sub.head()).toMatch(/content-type: text\/event-stream/i);
      expect(sub.head()).toMatch(/cache-control: no-cache/i);
      expect(sub.head()).toMatch(/transfer-encoding: chunked/i);
    }
    const sent: { id: string; data: string; event?: string }[] = [];
    for (let n = 1; n <= 20; n++) {
      expect(channel.publish(new SseEvent({ n }, { id: String(n) }))).toBe(4);
      sent.push({ id: String(n), data: JSON.stringify({ n }) });
      // Some in one tick (coalesced), some across ticks.
      if (n % 3 === 0) await sleep(1);
    }
    channel.publish(new SseEvent('two\nlines', { event: 'multi', id: '21' }).toBytes());
    sent.push({ id: '21', data: 'two\nlines', event: 'multi' });
    channel.publish(new SseEvent('last'));
    await reading;
    for (const sub of tcp) {
      await until(() => sub.body().body.toString().includes('data: last'), 'the last event over TCP');
      const events = parseAll(sub.body().body.toString());
      expect(events.map((e) => ({ id: e.id, data: e.data, ...(e.event ? { event: e.event } : {}) }))).toEqual(
        [...sent, { id: undefined, data: 'last' }],
      );
    }
    expect(inMemory.map((e) => e.data)).toEqual([...sent.map((e) => e.data), 'last']);
    // The in-memory client left: its subscription is gone; the TCP ones stay.
    await until(() => channel.size === 3, 'the in-memory subscriber to leave');
    expect(ends.get('fan')?.map((e) => e.reason)).toEqual(['closed']);
  });

  it('close() ends every stream cleanly (the last chunk), and later subscribers end at once', async () => {
    const channel = channelFor('closing', { limits: { idleTimeoutMs: 0 } });
    const subs = [tcpSubscriber('/ch/closing'), tcpSubscriber('/ch/closing')];
    await until(() => channel.size === 2, 'two subscribers');
    channel.publish(new SseEvent('bye'));
    channel.close();
    expect(channel.size).toBe(0);
    for (const sub of subs) {
      await until(() => sub.body().isComplete, 'the last chunk');
      expect(parseAll(sub.body().body.toString()).map((e) => e.data)).toEqual(['bye']);
    }
    const late = tcpSubscriber('/ch/closing');
    await until(() => late.body().isComplete, 'the late subscriber to end');
    expect(late.body().body.length).toBe(0);
    expect(ends.get('closing')?.map((e) => e.reason)).toEqual(['complete', 'complete', 'complete']);
  });

  it('a TCP client that leaves is unsubscribed at once, and its end is reported as closed', async () => {
    const channel = channelFor('leave', { limits: { idleTimeoutMs: 0 } });
    const stays = tcpSubscriber('/ch/leave');
    const leaves = tcpSubscriber('/ch/leave');
    await until(() => channel.size === 2, 'two subscribers');
    await until(() => leaves.head() !== null, 'the head');
    leaves.socket.destroy();
    await until(() => channel.size === 1, 'the subscriber that left to be removed');
    expect(ends.get('leave')?.map((e) => e.reason)).toEqual(['closed']);
    expect(channel.publish(new SseEvent('still here'))).toBe(1);
    await until(() => stays.body().body.toString().includes('still here'), 'the event');
  });

  it('the events one tick publishes leave the socket in one write', async () => {
    const channel = channelFor('tick', { limits: { idleTimeoutMs: 0 } });
    /** A socket that counts the writes the server makes on it. */
    class CountingSocket extends Duplex {
      writes = 0;
      readonly data: Buffer[] = [];
      override _read(): void {}
      override _write(chunk: Buffer, _encoding: string, done: () => void): void {
        this.writes++;
        this.data.push(chunk);
        done();
      }
      override _writev(chunks: { chunk: Buffer }[], done: () => void): void {
        this.writes++;
        for (const { chunk } of chunks) this.data.push(chunk);
        done();
      }
    }
    const socket = new CountingSocket();
    app.server.serve(socket, { ip: '127.0.0.1', port, domain: '', isTls: false }, '127.0.0.1');
    socket.push('GET /ch/tick HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await until(() => channel.size === 1 && socket.writes > 0, 'the subscriber');
    await sleep(5);
    const before = socket.writes;
    for (let n = 1; n <= 5; n++) channel.publish(new SseEvent(String(n)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.writes - before).toBe(1);
    const events = parseAll(dechunk(Buffer.concat(socket.data)).body.toString());
    expect(events.map((e) => e.data)).toEqual(['1', '2', '3', '4', '5']);
    socket.destroy();
    await until(() => channel.size === 0, 'the subscriber to leave');
  });

  it('an HTTP/1.0 subscriber gets the events unframed, and the connection closes at the end', async () => {
    const channel = channelFor('old', { limits: { idleTimeoutMs: 0 } });
    const socket = net.connect(port, '127.0.0.1');
    sockets.push(socket);
    const parts: Buffer[] = [];
    socket.on('data', (c: Buffer) => parts.push(c));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('GET /ch/old HTTP/1.0\r\nHost: x\r\n\r\n');
    await until(() => channel.size === 1, 'the subscriber');
    channel.publish(new SseEvent('a'));
    channel.publish(new SseEvent('b'));
    channel.close();
    await closed;
    const text = Buffer.concat(parts).toString('latin1');
    expect(text).not.toMatch(/transfer-encoding/i);
    expect(text).toMatch(/connection: close/i);
    expect(text.slice(text.indexOf('\r\n\r\n') + 4)).toBe('data: a\n\ndata: b\n\n');
  });

  it('HEAD gets the head only and never joins the channel', async () => {
    const channel = channelFor('head');
    const client = TestClient.fromApp(app);
    const res = await client.head('/ch/head');
    expect(res.status).toBe(200);
    expect(res.header('content-type')).toBe('text/event-stream');
    expect(res.bytes().length).toBe(0);
    expect(channel.size).toBe(0);
    expect(channel.publish(new SseEvent('nobody'))).toBe(0);
  });
});

describe('SseChannel: the limits of a stream hold when it is pushed', () => {
  it('a client that stops reading is cut at maxBufferedBytes; a reading one gets everything', async () => {
    const channel = channelFor('slow', { limits: { idleTimeoutMs: 0, maxTotalBytes: 0 } }, 262_144);
    const reader = tcpSubscriber('/ch/slow');
    const stalled = tcpSubscriber('/ch/slow');
    await until(() => channel.size === 2 && stalled.head() !== null, 'two subscribers');
    stalled.socket.pause();
    const event = new SseEvent('y'.repeat(16_000)).toBytes();
    let published = 0;
    // The kernel buffers a few MiB before our socket holds anything; bounded at 64 MiB.
    while (channel.size === 2 && published < 4096) {
      channel.publish(event);
      published++;
      if (published % 16 === 0) await sleep(1);
    }
    expect(channel.size).toBe(1);
    const cut = ends.get('slow')?.[0];
    expect(cut?.reason).toBe('max-buffered-bytes');
    // Cut by the event that put it over: every event was handed to its socket...
    expect(cut?.bytes).toBe(published * event.byteLength);
    stalled.socket.resume();
    await until(stalled.closed, 'the cut connection to close');
    // ...but what its socket still held was dropped with the connection.
    expect(stalled.body().isComplete).toBe(false);
    expect(stalled.body().body.length).toBeLessThan(published * event.byteLength);
    await until(
      () => reader.body().body.length === published * event.byteLength,
      'the reading client to get every event',
      1000,
    );
  });

  it('a stalled client with no buffer limit is closed at send_timeout and counted', async () => {
    const channel = channelFor('stall', { limits: { idleTimeoutMs: 0, maxTotalBytes: 0 } }, 0);
    const stalled = tcpSubscriber('/ch/stall');
    await until(() => channel.size === 1 && stalled.head() !== null, 'the subscriber');
    stalled.socket.pause();
    const before = app.timeoutCounts()['timeouts.send'] ?? 0;
    const event = new SseEvent('z'.repeat(60_000)).toBytes();
    // Fill the kernel buffers until our side holds bytes, then stop publishing.
    for (let i = 0; i < 2000 && channel.size === 1; i++) {
      channel.publish(event);
      if (i % 8 === 7) await sleep(1);
      if (i > 200 && i % 50 === 0) break;
    }
    await until(() => channel.size === 0, 'send_timeout to close the stalled client', 500);
    expect(ends.get('stall')?.[0]?.reason).toBe('closed');
    expect(app.timeoutCounts()['timeouts.send']).toBe(before + 1);
  });

  it('maxTotalBytes ends the stream cleanly before the event that would pass it', async () => {
    const event = new SseEvent('0123456789').toBytes(); // 18 bytes
    const channel = channelFor('total', { limits: { idleTimeoutMs: 0, maxTotalBytes: 50 } });
    const sub = tcpSubscriber('/ch/total');
    await until(() => channel.size === 1, 'the subscriber');
    for (let i = 0; i < 3; i++) channel.publish(event);
    await until(() => sub.body().isComplete, 'the last chunk');
    expect(sub.body().body.length).toBe(36);
    expect(channel.size).toBe(0);
    expect(ends.get('total')?.[0]).toMatchObject({ reason: 'max-total-bytes', bytes: 36, chunks: 2 });
  });

  it('a large event is split into chunks of at most maxChunkBytes', async () => {
    const channel = channelFor('split', { limits: { idleTimeoutMs: 0, maxChunkBytes: 1000 } });
    const sub = tcpSubscriber('/ch/split');
    await until(() => channel.size === 1, 'the subscriber');
    const event = new SseEvent('s'.repeat(2490)).toBytes(); // 2498 bytes
    channel.publish(event);
    channel.close();
    await until(() => sub.body().isComplete, 'the last chunk');
    expect(sub.body().sizes).toEqual([1000, 1000, 498]);
    expect(sub.body().body.equals(Buffer.from(event))).toBe(true);
  });

  it('a quiet channel sends heartbeats, and idleTimeoutMs still ends it', async () => {
    const channel = channelFor('quiet', { heartbeatMs: 30, limits: { idleTimeoutMs: 250 } });
    const sub = tcpSubscriber('/ch/quiet');
    await until(() => channel.size === 1, 'the subscriber');
    await until(() => sub.body().isComplete, 'idle-timeout to end the stream');
    const text = sub.body().body.toString();
    expect(text.split(':\n\n').length - 1).toBeGreaterThanOrEqual(2);
    expect(parseAll(text)).toEqual([]);
    const end = ends.get('quiet')?.[0];
    expect(end?.reason).toBe('idle-timeout');
    expect(end?.durationMs).toBeGreaterThanOrEqual(250);
    expect(channel.size).toBe(0);
  });

  it('maxDurationMs ends a busy stream cleanly', async () => {
    const channel = channelFor('duration', { limits: { idleTimeoutMs: 0, maxDurationMs: 150 } });
    const sub = tcpSubscriber('/ch/duration');
    await until(() => channel.size === 1, 'the subscriber');
    for (let i = 0; i < 100 && channel.size === 1; i++) {
      channel.publish(new SseEvent(String(i)));
      await sleep(10);
    }
    await until(() => sub.body().isComplete, 'the last chunk');
    expect(ends.get('duration')?.[0]?.reason).toBe('max-duration');
    expect(parseAll(sub.body().body.toString()).length).toBeGreaterThan(0);
  });

  it('the connection serves its next request after a limit ended the stream (keep-alive)', async () => {
    const channel = channelFor('again', { limits: { idleTimeoutMs: 100 } });
    const socket = net.connect(port, '127.0.0.1');
    sockets.push(socket);
    const parts: Buffer[] = [];
    socket.on('data', (c: Buffer) => parts.push(c));
    socket.write(
      'GET /ch/again HTTP/1.1\r\nHost: x\r\n\r\nGET /ch/none HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    await until(() => channel.size === 1, 'the subscriber');
    channel.publish(new SseEvent('one'));
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const text = Buffer.concat(parts).toString('latin1');
    expect(text.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
    expect(text).toContain('data: one');
    expect(text).toContain('no such channel');
  });
});

describe('SseChannel in memory, as over TCP', () => {
  it('maxTotalBytes ends the stream cleanly before the event that would pass it', async () => {
    const channel = channelFor('mem-total', { limits: { idleTimeoutMs: 0, maxTotalBytes: 50 } });
    const client = TestClient.fromApp(app);
    const answer = client.get('/ch/mem-total');
    await until(() => channel.size === 1, 'the subscriber');
    for (let i = 0; i < 3; i++) channel.publish(new SseEvent('0123456789'));
    const res = await answer;
    expect(res.header('transfer-encoding')).toBe('chunked');
    expect(res.text()).toBe('data: 0123456789\n\n'.repeat(2));
    expect(ends.get('mem-total')?.[0]).toMatchObject({ reason: 'max-total-bytes', bytes: 36 });
    client.close();
  });

  it('a client that stops reading is cut at maxBufferedBytes', async () => {
    // TestClient reads eagerly, so the stalled peer is a stream that takes the head, then
    // never completes a write: as a socket whose client stopped reading.
    const channel = channelFor('mem-slow', { limits: { idleTimeoutMs: 0, maxTotalBytes: 0 } }, 65_536);
    let taken = 0;
    const stalled = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, done) {
        taken += chunk.length;
        if (taken < 1000) done();
      },
    });
    let isClosed = false;
    stalled.on('close', () => {
      isClosed = true;
    });
    app.server.serve(stalled, { ip: '127.0.0.1', port, domain: '', isTls: false }, '127.0.0.1');
    stalled.push('GET /ch/mem-slow HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await until(() => channel.size === 1, 'the subscriber');
    const event = new SseEvent('m'.repeat(8_000)).toBytes();
    let published = 0;
    while (channel.size === 1 && published < 1000) {
      channel.publish(event);
      published++;
      if (published % 8 === 0) await sleep(1);
    }
    expect(channel.size).toBe(0);
    expect(ends.get('mem-slow')?.[0]?.reason).toBe('max-buffered-bytes');
    // 64 KiB of 8 KB events: cut at the ninth or so, not after a thousand.
    expect(published).toBeLessThan(20);
    await until(() => isClosed, 'the connection to close');
  });
});

describe('SseChannel pulled by a consumer that only iterates (the fetch adapter)', () => {
  it('gets the events in order; a reader too far behind fails with BBWS_ERR_STREAM_BEHIND', async () => {
    const channel = channelFor('fetch', { limits: { idleTimeoutMs: 0 } }, 1000);
    const handler = toFetchHandler(app);
    const res = await handler(new Request('http://127.0.0.1/ch/fetch'));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = reader.read();
    await until(() => channel.size === 1, 'the pulled subscriber');
    channel.publish(new SseEvent('a'));
    expect(Buffer.from((await first).value ?? []).toString()).toBe('data: a\n\n');
    // Not read: the events queue up to 1000 bytes, then the subscriber is dropped.
    const event = new SseEvent('b'.repeat(300)).toBytes();
    for (let i = 0; i < 5; i++) channel.publish(event);
    expect(channel.size).toBe(0);
    let failure: unknown = null;
    try {
      for (let i = 0; i < 10; i++) if ((await reader.read()).done) break;
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).toMatch(/BBWS_ERR_STREAM_BEHIND|fell more than 1000 bytes behind/);
    expect(ends.get('fetch')?.[0]?.reason).toBe('error');
  });
});
