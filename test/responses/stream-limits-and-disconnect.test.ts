import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type App,
  Controller,
  createApp,
  Get,
  MIME_TYPE,
  type StreamEndEvent,
  StreamResponse,
} from 'bbwebservice';
import { TestClient } from 'bbwebservice/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** What the sources saw: whether their `finally` ran / `return()` was called, and how each stream ended. */
const seen = {
  started: new Set<string>(),
  finallyRan: new Set<string>(),
  returned: new Set<string>(),
  ends: new Map<string, StreamEndEvent>(),
};

function endsAs(name: string) {
  return { onEnd: (event: StreamEndEvent) => seen.ends.set(name, event) };
}

@Controller('::/')
class StreamController {
  @Get('/split', { type: MIME_TYPE.BINARY })
  split() {
    return new StreamResponse([Buffer.alloc(3500, 97)], endsAs('split'));
  }

  @Get('/total', { type: MIME_TYPE.TEXT })
  total() {
    async function* forever() {
      try {
        for (;;) yield 'x'.repeat(1000);
      } finally {
        seen.finallyRan.add('total');
      }
    }
    return new StreamResponse(forever(), endsAs('total'));
  }

  @Get('/duration', { type: MIME_TYPE.TEXT })
  duration() {
    async function* ticking() {
      try {
        for (;;) {
          await sleep(20);
          yield 'tick\n';
        }
      } finally {
        seen.finallyRan.add('duration');
      }
    }
    return new StreamResponse(ticking(), endsAs('duration'));
  }

  @Get('/idle', { type: MIME_TYPE.TEXT })
  idle() {
    let sent = false;
    // A source whose second next() never settles: only return() can end it.
    const silent: AsyncIterableIterator<string> = {
      [Symbol.asyncIterator]: () => silent,
      next: () => {
        if (sent) return new Promise<IteratorResult<string>>(() => {});
        sent = true;
        return Promise.resolve({ done: false, value: 'hello\n' });
      },
      return: async () => {
        seen.returned.add('idle');
        return { done: true, value: undefined };
      },
    };
    return new StreamResponse(silent, endsAs('idle'));
  }

  @Get('/endless', { type: MIME_TYPE.TEXT })
  endless() {
    async function* endless() {
      seen.started.add('endless');
      try {
        for (let i = 0; ; i++) {
          await sleep(5);
          yield `${i}\n`;
        }
      } finally {
        seen.finallyRan.add('endless');
      }
    }
    return new StreamResponse(endless(), {
      limits: { maxDurationMs: 0, idleTimeoutMs: 0 },
      ...endsAs('endless'),
    });
  }

  @Get('/relaxed', { type: MIME_TYPE.TEXT })
  relaxed() {
    return new StreamResponse(['a'.repeat(6000)], { limits: { maxTotalBytes: 0 }, ...endsAs('relaxed') });
  }

  @Get('/bare', { type: MIME_TYPE.TEXT })
  async *bare() {
    yield 'from ';
    yield 'a generator';
  }
}

let app: App;
beforeAll(async () => {
  app = createApp({
    controllers: [StreamController],
    config: {
      server: [
        {
          ip: '127.0.0.1',
          port: 0,
          stream_max_chunk_size: 1000,
          stream_max_total_bytes: 5000,
          stream_max_duration: 0.3,
          stream_idle_timeout: 0.2,
        },
      ],
    },
  });
  await app.start();
});
afterAll(() => app.stop());

interface Chunked {
  status: number;
  head: string;
  chunkSizes: number[];
  body: Buffer;
  /** Whether the last-chunk `0\r\n\r\n` arrived: the stream ended cleanly. */
  isComplete: boolean;
}

/** Reads one response over TCP and decodes its chunked framing by hand, keeping the chunk sizes. */
async function overTcp(path: string, method = 'GET'): Promise<Chunked> {
  const socket = net.connect(app.addresses[0]?.port ?? 0, '127.0.0.1');
  const parts: Buffer[] = [];
  socket.on('data', (c: Buffer) => parts.push(c));
  socket.write(`${method} ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  await new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const raw = Buffer.concat(parts);
  const headEnd = raw.indexOf('\r\n\r\n');
  const head = raw.toString('latin1', 0, headEnd);
  const chunkSizes: number[] = [];
  const body: Buffer[] = [];
  let at = headEnd + 4;
  let isComplete = false;
  while (at < raw.length) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = Number.parseInt(raw.toString('latin1', at, lineEnd), 16);
    if (size === 0) {
      isComplete = raw.toString('latin1', lineEnd, lineEnd + 4) === '\r\n\r\n';
      break;
    }
    chunkSizes.push(size);
    body.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return { status: Number(head.slice(9, 12)), head, chunkSizes, body: Buffer.concat(body), isComplete };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('stream limits of the listener', () => {
  it('splits a chunk larger than stream_max_chunk_size into chunks of at most that size', async () => {
    const res = await overTcp('/split');
    expect(res.head).toMatch(/transfer-encoding: chunked/i);
    expect(res.chunkSizes).toEqual([1000, 1000, 1000, 500]);
    expect(res.body.equals(Buffer.alloc(3500, 97))).toBe(true);
    expect(res.isComplete).toBe(true);
    expect(seen.ends.get('split')?.reason).toBe('complete');
  });

  it('ends cleanly at stream_max_total_bytes and closes the generator', async () => {
    const res = await overTcp('/total');
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(5000);
    expect(res.isComplete).toBe(true);
    expect(seen.ends.get('total')).toMatchObject({ reason: 'max-total-bytes', bytes: 5000 });
    await until(() => seen.finallyRan.has('total'), 'the generator finally');
  });

  it('ends cleanly after stream_max_duration and closes the generator', async () => {
    const res = await overTcp('/duration');
    expect(res.isComplete).toBe(true);
    expect(res.body.toString()).toMatch(/^(tick\n)+$/);
    const end = seen.ends.get('duration');
    expect(end?.reason).toBe('max-duration');
    expect(end?.durationMs).toBeGreaterThanOrEqual(300);
    await until(() => seen.finallyRan.has('duration'), 'the generator finally');
  });

  it('ends cleanly after stream_idle_timeout and calls return() on a source stuck in next()', async () => {
    const res = await overTcp('/idle');
    expect(res.isComplete).toBe(true);
    expect(res.body.toString()).toBe('hello\n');
    expect(seen.ends.get('idle')?.reason).toBe('idle-timeout');
    expect(seen.returned.has('idle')).toBe(true);
  });

  it("a StreamResponse's own limits override the listener's", async () => {
    const res = await overTcp('/relaxed');
    expect(res.body.length).toBe(6000);
    expect(res.chunkSizes.every((n) => n <= 1000)).toBe(true);
  });

  it('keeps the connection usable after a limit ended a stream (keep-alive)', async () => {
    const socket = net.connect(app.addresses[0]?.port ?? 0, '127.0.0.1');
    const parts: Buffer[] = [];
    socket.on('data', (c: Buffer) => parts.push(c));
    socket.write(
      'GET /total HTTP/1.1\r\nHost: x\r\n\r\nGET /bare HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const text = Buffer.concat(parts).toString('latin1');
    expect(text.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
    expect(text).toContain('a generator');
  });
});

describe('client disconnect and HEAD', () => {
  it('runs the generator finally when the TCP client goes away mid-stream', async () => {
    const socket = net.connect(app.addresses[0]?.port ?? 0, '127.0.0.1');
    socket.write('GET /endless HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.destroy();
    await until(() => seen.finallyRan.has('endless'), 'the generator finally');
    expect(seen.ends.get('endless')?.reason).toBe('closed');
  });

  it('runs the generator finally when an in-memory client stops reading', async () => {
    seen.finallyRan.delete('endless');
    const client = TestClient.fromApp(app);
    const res = await client.stream('/endless');
    for await (const _chunk of res) break;
    await until(() => seen.finallyRan.has('endless'), 'the generator finally');
  });

  it('answers HEAD on a stream with the head only and closes the source before it runs', async () => {
    seen.started.delete('endless');
    seen.ends.delete('endless');
    const socket = net.connect(app.addresses[0]?.port ?? 0, '127.0.0.1');
    const parts: Buffer[] = [];
    socket.on('data', (c: Buffer) => parts.push(c));
    socket.write('HEAD /endless HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const text = Buffer.concat(parts).toString('latin1');
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text.endsWith('\r\n\r\n')).toBe(true);
    await until(() => seen.ends.has('endless'), 'the end of the stream');
    expect(seen.ends.get('endless')?.reason).toBe('closed');
    // return() before the first next(): the generator body (and its finally) never runs.
    expect(seen.started.has('endless')).toBe(false);
  });

  it('streams an async generator returned directly', async () => {
    const res = await overTcp('/bare');
    expect(res.body.toString()).toBe('from a generator');
    expect(res.head).toMatch(/content-type: text\/plain/i);
  });
});
