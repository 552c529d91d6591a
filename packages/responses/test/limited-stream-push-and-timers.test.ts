import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type BodyWriter,
  isPushBody,
  LimitedStream,
  PUSH_BODY,
  PUSH_SOURCE,
  type PushTarget,
  ResponsesError,
  SseChannel,
  SseEvent,
  type StreamEndEvent,
  type StreamLimits,
  StreamResponse,
} from '../src/index.js';

const OFF: StreamLimits = { maxChunkBytes: 0, maxTotalBytes: 0, maxDurationMs: 0, idleTimeoutMs: 0 };

/** A writer like the transport's: records what is written; `held` is what the socket "holds". */
function recordingWriter() {
  const state = { chunks: [] as Buffer[], shared: [] as boolean[], held: 0, ended: 0, aborted: 0 };
  const writer: BodyWriter = {
    write(chunk, isShared) {
      state.chunks.push(Buffer.from(chunk));
      state.shared.push(isShared);
      state.held += chunk.byteLength;
      return state.held;
    },
    end() {
      state.ended++;
    },
    abort() {
      state.aborted++;
    },
  };
  return { state, writer };
}

/** A pushing source: `target` is what the stream handed it; `returned` counts `return()`. */
function pushingSource() {
  const state = { target: null as PushTarget | null, returned: 0 };
  const source = {
    [PUSH_SOURCE](target: PushTarget) {
      state.target = target;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => new Promise<IteratorResult<Uint8Array>>(() => {}),
    return: async () => {
      state.returned++;
      return { done: true as const, value: undefined };
    },
  };
  return { state, source };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('LimitedStream, pushed', () => {
  it('has PUSH_BODY only over a source that pushes', () => {
    expect(isPushBody(new LimitedStream(['a'], { limits: OFF }))).toBe(false);
    expect(isPushBody(new LimitedStream(pushingSource().source, { limits: OFF }))).toBe(true);
  });

  it('writes each pushed chunk at once, counts it, and ends cleanly when the source ends', () => {
    const events: StreamEndEvent[] = [];
    const { state: src, source } = pushingSource();
    const stream = new LimitedStream(source, { limits: OFF, onEnd: (e) => events.push(e) });
    const { state, writer } = recordingWriter();
    stream[PUSH_BODY]?.(writer);
    src.target?.push(Buffer.from('one'), true);
    src.target?.push(Buffer.from(''), true);
    src.target?.push(Buffer.from('two'), false);
    expect(state.chunks.map(String)).toEqual(['one', 'two']);
    expect(state.shared).toEqual([true, false]);
    src.target?.end();
    expect(state.ended).toBe(1);
    expect(events).toMatchObject([{ reason: 'complete', bytes: 6, chunks: 2 }]);
    src.target?.push(Buffer.from('late'), true);
    expect(state.chunks).toHaveLength(2);
  });

  it('cuts the client (abort, not a clean end) once the socket holds more than maxBufferedBytes', () => {
    const events: StreamEndEvent[] = [];
    const { state: src, source } = pushingSource();
    const stream = new LimitedStream(source, {
      limits: OFF,
      maxBufferedBytes: 10,
      onEnd: (e) => events.push(e),
    });
    const { state, writer } = recordingWriter();
    stream[PUSH_BODY]?.(writer);
    for (let i = 0; i < 5; i++) src.target?.push(Buffer.from('abcd'), true);
    expect(state.chunks).toHaveLength(3);
    expect(state.aborted).toBe(1);
    expect(state.ended).toBe(0);
    expect(src.returned).toBe(1);
    expect(events).toMatchObject([{ reason: 'max-buffered-bytes', bytes: 12 }]);
  });

  it('ends cleanly at maxTotalBytes and splits at maxChunkBytes', () => {
    const events: StreamEndEvent[] = [];
    const { state: src, source } = pushingSource();
    const stream = new LimitedStream(source, {
      limits: { ...OFF, maxTotalBytes: 12, maxChunkBytes: 4 },
      onEnd: (e) => events.push(e),
    });
    const { state, writer } = recordingWriter();
    stream[PUSH_BODY]?.(writer);
    src.target?.push(Buffer.from('abcdefghij'), true);
    src.target?.push(Buffer.from('klm'), true);
    expect(state.chunks.map(String)).toEqual(['abcd', 'efgh', 'ij']);
    // A split chunk's pieces are not the shared bytes: the transport frames them itself.
    expect(state.shared).toEqual([false, false, false]);
    expect(state.ended).toBe(1);
    expect(events).toMatchObject([{ reason: 'max-total-bytes', bytes: 10, chunks: 3 }]);
  });

  it('return() (the client left) closes the source and writes nothing more', () => {
    const events: StreamEndEvent[] = [];
    const { state: src, source } = pushingSource();
    const stream = new LimitedStream(source, { limits: OFF, onEnd: (e) => events.push(e) });
    const { state, writer } = recordingWriter();
    stream[PUSH_BODY]?.(writer);
    void stream.return();
    src.target?.push(Buffer.from('x'), true);
    expect(state.chunks).toHaveLength(0);
    expect(state.ended).toBe(0);
    expect(src.returned).toBe(1);
    expect(events).toMatchObject([{ reason: 'closed' }]);
  });

  it('heartbeats and idle-timeout come from one timer, not a timer per chunk', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const events: StreamEndEvent[] = [];
    const { state: src, source } = pushingSource();
    const stream = new LimitedStream(source, {
      limits: { ...OFF, idleTimeoutMs: 200 },
      heartbeatMs: 40,
      onEnd: (e) => events.push(e),
    });
    const { state, writer } = recordingWriter();
    stream[PUSH_BODY]?.(writer);
    for (let i = 0; i < 500; i++) src.target?.push(Buffer.from('e'), true);
    expect(timers.mock.calls.length).toBe(1);
    for (let i = 0; i < 100 && events.length === 0; i++) await sleep(10);
    expect(events[0]?.reason).toBe('idle-timeout');
    expect(state.ended).toBe(1);
    const heartbeats = state.chunks.filter((c) => c.toString() === ':\n\n').length;
    expect(heartbeats).toBeGreaterThanOrEqual(2);
  });
});

describe('LimitedStream, pulled', () => {
  it('arms one timer for a stream of many chunks, where it armed one per chunk before', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    async function* source() {
      for (let i = 0; i < 300; i++) yield 'x';
    }
    const stream = new LimitedStream(source(), {
      limits: { ...OFF, idleTimeoutMs: 10_000, maxDurationMs: 60_000 },
      heartbeatMs: 15_000,
    });
    let count = 0;
    for await (const chunk of stream) count += chunk.byteLength;
    expect(count).toBe(300);
    expect(timers.mock.calls.length).toBe(1);
  });

  it('a heartbeat due while the source is silent is sent, then the source is waited on again', async () => {
    async function* source() {
      yield 'a';
      await sleep(130);
      yield 'b';
    }
    const stream = new LimitedStream(source(), { limits: OFF, heartbeatMs: 40 });
    const out: string[] = [];
    for await (const chunk of stream) out.push(Buffer.from(chunk).toString());
    expect(out[0]).toBe('a');
    expect(out.at(-1)).toBe('b');
    expect(out.filter((c) => c === ':\n\n').length).toBeGreaterThanOrEqual(2);
  });
});

describe('SseChannel options', () => {
  it('refuses a maxBufferedBytes that is not a whole number >= 0, and publish of other values', () => {
    expect(() => new SseChannel({ maxBufferedBytes: -1 })).toThrow(ResponsesError);
    expect(() => new SseChannel({ maxBufferedBytes: 1.5 })).toThrow(/maxBufferedBytes/);
    expect(() => new StreamResponse(['x'], { maxBufferedBytes: Number.NaN })).toThrow(/maxBufferedBytes/);
    const channel = new SseChannel();
    expect(() => channel.publish('data: x\n\n' as unknown as Uint8Array)).toThrow(/SseEvent or Uint8Array/);
    expect(channel.publish(new SseEvent('nobody'))).toBe(0);
  });
});
