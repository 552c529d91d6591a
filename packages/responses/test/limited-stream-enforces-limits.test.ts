import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LimitedStream, type StreamEndEvent, type StreamLimits } from '../src/index.js';

const OFF: StreamLimits = { maxChunkBytes: 0, maxTotalBytes: 0, maxDurationMs: 0, idleTimeoutMs: 0 };

async function drain(stream: AsyncIterable<Uint8Array>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of stream) out.push(Buffer.from(chunk));
  return out;
}

function tracked<T>(items: () => AsyncGenerator<T>) {
  const state = { finallyRan: false };
  async function* source() {
    try {
      yield* items();
    } finally {
      state.finallyRan = true;
    }
  }
  return { state, source: source() };
}

describe('LimitedStream', () => {
  it('passes strings and bytes through as bytes and reports completion', async () => {
    const events: StreamEndEvent[] = [];
    const stream = new LimitedStream(['a', new Uint8Array([98]), '', 'c'], {
      limits: OFF,
      onEnd: (e) => events.push(e),
    });
    expect(Buffer.concat(await drain(stream)).toString()).toBe('abc');
    expect(events).toMatchObject([{ reason: 'complete', bytes: 3, chunks: 3 }]);
  });

  it('splits chunks larger than maxChunkBytes instead of rejecting them', async () => {
    const stream = new LimitedStream([Buffer.alloc(10, 1), 'xyz'], { limits: { ...OFF, maxChunkBytes: 4 } });
    expect((await drain(stream)).map((c) => c.length)).toEqual([4, 4, 2, 3]);
  });

  it('stops before the chunk that would pass maxTotalBytes and closes the source', async () => {
    const events: StreamEndEvent[] = [];
    const { state, source } = tracked(async function* () {
      for (let i = 0; i < 100; i++) yield '12345';
    });
    const stream = new LimitedStream(source, {
      limits: { ...OFF, maxTotalBytes: 12 },
      onEnd: (e) => events.push(e),
    });
    expect(Buffer.concat(await drain(stream)).toString()).toBe('1234512345');
    expect(events).toMatchObject([{ reason: 'max-total-bytes', bytes: 10 }]);
    await sleep(0);
    expect(state.finallyRan).toBe(true);
  });

  it('ends a silent source after idleTimeoutMs and closes it', async () => {
    const events: StreamEndEvent[] = [];
    const { state, source } = tracked(async function* () {
      yield 'first';
      await sleep(60_000);
      yield 'never';
    });
    const stream = new LimitedStream(source, {
      limits: { ...OFF, idleTimeoutMs: 50 },
      onEnd: (e) => events.push(e),
    });
    const chunks = await drain(stream);
    expect(chunks.map(String)).toEqual(['first']);
    expect(events[0]?.reason).toBe('idle-timeout');
    // The generator sits in an await; its return() is queued behind it, never lost.
    expect(state.finallyRan).toBe(false);
  });

  it('ends a steady source after maxDurationMs', async () => {
    const events: StreamEndEvent[] = [];
    const { state, source } = tracked(async function* () {
      for (;;) {
        await sleep(10);
        yield '.';
      }
    });
    const stream = new LimitedStream(source, {
      limits: { ...OFF, maxDurationMs: 80, idleTimeoutMs: 1000 },
      onEnd: (e) => events.push(e),
    });
    const chunks = await drain(stream);
    expect(chunks.length).toBeGreaterThan(0);
    expect(events[0]?.reason).toBe('max-duration');
    expect(events[0]?.durationMs).toBeGreaterThanOrEqual(80);
    await sleep(30);
    expect(state.finallyRan).toBe(true);
  });

  it('return() from the consumer closes the source at once (client gone)', async () => {
    const events: StreamEndEvent[] = [];
    const { state, source } = tracked(async function* () {
      for (let i = 0; ; i++) yield `${i}`;
    });
    const stream = new LimitedStream(source, { limits: OFF, onEnd: (e) => events.push(e) });
    await stream.next();
    await stream.return();
    await sleep(0);
    expect(state.finallyRan).toBe(true);
    expect(events[0]?.reason).toBe('closed');
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('return() while the source is pending resolves the waiting next() with done', async () => {
    async function* slow() {
      await sleep(60_000);
      yield 'late';
    }
    const stream = new LimitedStream(slow(), { limits: OFF });
    const pending = stream.next();
    await stream.return();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('closes a sync generator source on a limit', async () => {
    let finallyRan = false;
    function* numbers() {
      try {
        for (let i = 0; ; i++) yield `${i % 10}`;
      } finally {
        finallyRan = true;
      }
    }
    const stream = new LimitedStream(numbers(), { limits: { ...OFF, maxTotalBytes: 5 } });
    expect((await drain(stream)).length).toBe(5);
    expect(finallyRan).toBe(true);
  });

  it('sends heartbeats while the source is silent, without resetting the idle timer', async () => {
    async function* quiet() {
      yield 'data: a\n\n';
      await sleep(60_000);
    }
    const events: StreamEndEvent[] = [];
    const stream = new LimitedStream(quiet(), {
      limits: { ...OFF, idleTimeoutMs: 200 },
      heartbeatMs: 40,
      onEnd: (e) => events.push(e),
    });
    const chunks = (await drain(stream)).map(String);
    expect(chunks[0]).toBe('data: a\n\n');
    expect(chunks.slice(1).every((c) => c === ':\n\n')).toBe(true);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(events[0]?.reason).toBe('idle-timeout');
  });

  it('rethrows a source error and reports it', async () => {
    const events: StreamEndEvent[] = [];
    async function* failing() {
      yield 'ok';
      throw new Error('boom');
    }
    const stream = new LimitedStream(failing(), { limits: OFF, onEnd: (e) => events.push(e) });
    await expect(drain(stream)).rejects.toThrow('boom');
    expect(events[0]?.reason).toBe('error');
  });

  it('refuses chunks that are not strings or bytes with BBWS_ERR_STREAM_CHUNK', async () => {
    const stream = new LimitedStream([42 as unknown as string], { limits: OFF });
    await expect(drain(stream)).rejects.toMatchObject({ code: 'BBWS_ERR_STREAM_CHUNK' });
  });
});
