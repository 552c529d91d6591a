import { ResponsesError } from '../errors.js';
import { SseEvent } from '../sse/sse-event.js';
import { type BodyWriter, isPushSource, PUSH_BODY, PUSH_SOURCE, type PushTarget } from './push-body.js';
import type { StreamEndEvent, StreamEndReason, StreamLimits } from './stream-limits.js';

/** What a StreamResponse may read from. */
export type StreamSource = Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** Options of {@link LimitedStream}. */
export interface LimitedStreamOptions {
  readonly limits: StreamLimits;
  /** Send an SSE comment when nothing was written for this long (0: never). */
  readonly heartbeatMs?: number;
  /** Called once, when the stream ends for any reason. */
  readonly onEnd?: (event: StreamEndEvent) => void;
  /**
   * For a pushed source only (an SseChannel subscription): the most bytes the socket may hold
   * unsent; a client further behind is cut (`max-buffered-bytes`). 0: no limit.
   */
  readonly maxBufferedBytes?: number;
}

/** How a wait for the source ended: it gave a result, it threw, a limit's time came, or the stream closed. */
const O_NONE = 0;
const O_RESULT = 1;
const O_ERROR = 2;
const O_TIMER = 3;
const O_CLOSED = 4;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
/** setTimeout's ceiling (2^31-1 ms); longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;
const HEARTBEAT = SseEvent.comment();

/**
 * The body of a StreamResponse as the transport pulls it: bytes only, chunks split to
 * `maxChunkBytes`, and the other limits enforced. When a limit trips, `return()` is called on
 * the source (a generator's `finally` runs) and the iteration ends normally, so the transport
 * writes the last chunk and the response is complete. When the transport calls `return()` on
 * this stream (the client went away), the source is closed the same way.
 *
 * This is a hand-written iterator, not an async generator, because a generator's `return()`
 * waits behind a pending `next()`: a client leaving during a silent source would not close it.
 */
export class LimitedStream implements AsyncIterableIterator<Uint8Array>, PushTarget {
  /**
   * Present when the source can push (see push-body.ts): the transport calls it with its
   * writer instead of pulling, and every published chunk is written at once.
   */
  readonly [PUSH_BODY]?: (writer: BodyWriter) => void;
  readonly #source: StreamSource;
  readonly #iterator: Iterator<unknown> | AsyncIterator<unknown>;
  readonly #isSync: boolean;
  readonly #limits: StreamLimits;
  readonly #heartbeatMs: number;
  readonly #onEnd: ((event: StreamEndEvent) => void) | undefined;
  #isOpen = true;
  #pending: Promise<IteratorResult<unknown>> | null = null;
  /** How `#pending` settled (O_NONE while it has not), with its result or error. */
  #settled = O_NONE;
  #result: IteratorResult<unknown> | undefined = undefined;
  #error: unknown = undefined;
  /** Resolves the `next()` waiting on the source, the timer or the end; null when none waits. */
  #waiting: ((outcome: number) => void) | null = null;
  readonly #onResult = (result: IteratorResult<unknown>): void => this.#settle(O_RESULT, result, undefined);
  readonly #onError = (error: unknown): void => this.#settle(O_ERROR, undefined, error);
  #pieces: Uint8Array[] = [];
  #pieceAt = 0;
  #startedAt = -1;
  #lastChunkAt = 0;
  #lastWriteAt = 0;
  #bytes = 0;
  #chunks = 0;
  readonly #maxBufferedBytes: number;
  /** Push mode: the transport's writer. */
  #writer: BodyWriter | null = null;
  /**
   * The one timer of the stream, armed for the nearest of max-duration, idle and heartbeat.
   * Chunks only move stamps; when it fires, it compares them and re-arms if nothing is due.
   */
  #timer: NodeJS.Timeout | null = null;

  constructor(source: StreamSource, options: LimitedStreamOptions) {
    const asyncIterable = (source as AsyncIterable<unknown>)[Symbol.asyncIterator];
    this.#isSync = typeof asyncIterable !== 'function';
    this.#iterator = this.#isSync
      ? (source as Iterable<unknown>)[Symbol.iterator]()
      : asyncIterable.call(source);
    this.#limits = options.limits;
    this.#heartbeatMs = options.heartbeatMs ?? 0;
    this.#onEnd = options.onEnd;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 0;
    this.#source = source;
    if (isPushSource(source)) this[PUSH_BODY] = (writer) => this.#startPush(writer);
  }

  /** Push mode starts: the source delivers to {@link push} from now on. */
  #startPush(writer: BodyWriter): void {
    if (!this.#isOpen || this.#writer !== null || this.#startedAt >= 0) return;
    const now = Date.now();
    this.#startedAt = now;
    this.#lastChunkAt = now;
    this.#lastWriteAt = now;
    this.#writer = writer;
    this.#armTimer(now);
    (this.#source as unknown as { [PUSH_SOURCE]: (target: PushTarget) => void })[PUSH_SOURCE](this);
  }

  /**
   * Push mode: one published chunk, checked against the limits and written. The clock is read
   * once per chunk; timers are not touched (the one timer compares stamps when it fires).
   */
  push(chunk: Uint8Array, isShared: boolean): void {
    const writer = this.#writer;
    if (!this.#isOpen || writer === null || chunk.byteLength === 0) return;
    const now = Date.now();
    if (now >= this.#deadline()) {
      this.#stopPush('max-duration');
      return;
    }
    this.#lastChunkAt = now;
    if (this.#bytes + chunk.byteLength > this.#maxTotal()) {
      this.#stopPush('max-total-bytes');
      return;
    }
    const max = this.#limits.maxChunkBytes;
    let buffered: number;
    if (max > 0 && chunk.byteLength > max) {
      buffered = 0;
      for (let at = 0; at < chunk.byteLength; at += max) {
        buffered = writer.write(chunk.subarray(at, at + max), false);
        this.#chunks++;
      }
      this.#chunks--;
    } else {
      buffered = writer.write(chunk, isShared);
    }
    this.#bytes += chunk.byteLength;
    this.#chunks++;
    this.#lastWriteAt = now;
    if (this.#maxBufferedBytes > 0 && buffered > this.#maxBufferedBytes) {
      this.#end('max-buffered-bytes', undefined, true);
      writer.abort();
    }
  }

  /** Push mode: the source finished (the channel closed). */
  end(): void {
    const writer = this.#writer;
    if (!this.#isOpen || writer === null) return;
    this.#end('complete');
    writer.end();
  }

  /** Push mode: a limit ends the stream cleanly, as in pull mode. */
  #stopPush(reason: StreamEndReason): void {
    const writer = this.#writer;
    this.#end(reason, undefined, true);
    writer?.end();
  }

  /** Arms the one timer for the nearest of max-duration, idle and heartbeat (none when all are off). */
  #armTimer(now: number): void {
    const at = this.#nextTimerAt();
    if (at === Number.POSITIVE_INFINITY) return;
    this.#timer = setTimeout(LimitedStream.#onTimer, Math.min(Math.max(at - now, 1), MAX_TIMER_MS), this);
  }

  static #onTimer(this: void, stream: LimitedStream): void {
    stream.#timer = null;
    if (!stream.#isOpen) return;
    const now = Date.now();
    const writer = stream.#writer;
    if (writer === null) {
      // Pulled: a due limit or heartbeat wakes the waiting next(), which re-arms when it waits
      // again; a stream busy writing (backpressure) is checked at its next pull.
      if (now < stream.#nextTimerAt()) stream.#armTimer(now);
      else stream.#wakeWith(O_TIMER);
      return;
    }
    const reason = stream.#timerLimit(now);
    if (reason !== null) {
      stream.#stopPush(reason);
      return;
    }
    if (now >= stream.#heartbeatAt()) {
      const buffered = writer.write(HEARTBEAT, true);
      stream.#bytes += HEARTBEAT.byteLength;
      stream.#chunks++;
      stream.#lastWriteAt = now;
      if (stream.#maxBufferedBytes > 0 && buffered > stream.#maxBufferedBytes) {
        stream.#end('max-buffered-bytes', undefined, true);
        writer.abort();
        return;
      }
    }
    stream.#armTimer(now);
  }

  /** The time limit a pushed stream has reached at `now` (a heartbeat over the total counts), or null. */
  #timerLimit(now: number): StreamEndReason | null {
    if (now >= this.#deadline()) return 'max-duration';
    if (now >= this.#idleAt()) return 'idle-timeout';
    if (now >= this.#heartbeatAt() && this.#bytes + HEARTBEAT.byteLength > this.#maxTotal())
      return 'max-total-bytes';
    return null;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (!this.#isOpen) return DONE;
    const now = Date.now();
    if (this.#startedAt < 0) {
      this.#startedAt = now;
      this.#lastChunkAt = now;
      this.#lastWriteAt = now;
    }
    if (now >= this.#deadline()) return this.#stop('max-duration');
    if (this.#pieceAt < this.#pieces.length) return this.#emit(this.#pieces[this.#pieceAt++] as Uint8Array);
    for (;;) {
      if (this.#pending === null) {
        this.#pending = this.#pull();
        this.#pending.then(this.#onResult, this.#onError);
      }
      if (this.#timer === null) this.#armTimer(Date.now());
      const outcome = this.#settled !== O_NONE ? this.#settled : await this.#wait();
      if (!this.#isOpen || outcome === O_CLOSED) return DONE;
      const at = Date.now();
      if (outcome === O_TIMER) {
        if (at >= this.#deadline()) return this.#stop('max-duration');
        if (at >= this.#idleAt()) return this.#stop('idle-timeout');
        if (at >= this.#heartbeatAt()) {
          if (this.#bytes + HEARTBEAT.byteLength > this.#maxTotal()) return this.#stop('max-total-bytes');
          return this.#emit(HEARTBEAT);
        }
        continue;
      }
      const result = this.#result;
      const error = this.#error;
      this.#pending = null;
      this.#settled = O_NONE;
      this.#result = undefined;
      this.#error = undefined;
      if (outcome === O_ERROR || result === undefined) {
        this.#end('error', error);
        throw error;
      }
      if (result.done === true) {
        this.#end('complete');
        return DONE;
      }
      if (at >= this.#deadline()) return this.#stop('max-duration');
      this.#lastChunkAt = at;
      const chunk = toBytes(result.value);
      if (chunk === null) {
        const failure = new ResponsesError(
          'BBWS_ERR_STREAM_CHUNK',
          `a stream source yielded ${describe(result.value)}; chunks must be strings or Uint8Array`,
        );
        this.#end('error', failure, true);
        throw failure;
      }
      if (chunk.byteLength === 0) continue;
      if (this.#bytes + chunk.byteLength > this.#maxTotal()) return this.#stop('max-total-bytes');
      return this.#emit(this.#split(chunk));
    }
  }

  /** Waits for the pending pull to settle, the timer to find a limit due, or the stream to end. */
  #wait(): Promise<number> {
    return new Promise<number>((resolve) => {
      this.#waiting = resolve;
    });
  }

  #settle(outcome: number, result: IteratorResult<unknown> | undefined, error: unknown): void {
    this.#settled = outcome;
    this.#result = result;
    this.#error = error;
    this.#wakeWith(outcome);
  }

  #wakeWith(outcome: number): void {
    const waiting = this.#waiting;
    if (waiting === null) return;
    this.#waiting = null;
    waiting(outcome);
  }

  /** The consumer stopped (client gone, HEAD): close the source now. */
  async return(): Promise<IteratorResult<Uint8Array>> {
    this.#end('closed', undefined, true);
    return DONE;
  }

  /** Splits a chunk larger than `maxChunkBytes` into pieces; returns the first. */
  #split(chunk: Uint8Array): Uint8Array {
    const max = this.#limits.maxChunkBytes;
    if (!(max > 0) || chunk.byteLength <= max) return chunk;
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < chunk.byteLength; at += max) pieces.push(chunk.subarray(at, at + max));
    this.#pieces = pieces;
    this.#pieceAt = 1;
    return pieces[0] as Uint8Array;
  }

  #emit(chunk: Uint8Array): IteratorResult<Uint8Array> {
    this.#bytes += chunk.byteLength;
    this.#chunks++;
    this.#lastWriteAt = Date.now();
    return { done: false, value: chunk };
  }

  #stop(reason: StreamEndReason): IteratorResult<Uint8Array> {
    this.#end(reason, undefined, true);
    return DONE;
  }

  #pull(): Promise<IteratorResult<unknown>> {
    if (!this.#isSync) {
      try {
        return Promise.resolve(this.#iterator.next());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve) => {
      const result = (this.#iterator as Iterator<unknown>).next();
      // `for await` over a sync iterable awaits each value; so do we.
      resolve(
        result.done === true
          ? result
          : Promise.resolve(result.value).then((value) => ({ done: false, value })),
      );
    });
  }

  #end(reason: StreamEndReason, error?: unknown, closeSource = false): void {
    if (!this.#isOpen) return;
    this.#isOpen = false;
    this.#pieces = [];
    this.#writer = null;
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    this.#wakeWith(O_CLOSED);
    if (closeSource) this.#closeSource();
    const onEnd = this.#onEnd;
    if (onEnd === undefined) return;
    const event: StreamEndEvent = {
      reason,
      bytes: this.#bytes,
      chunks: this.#chunks,
      durationMs: this.#startedAt < 0 ? 0 : Date.now() - this.#startedAt,
      ...(error === undefined ? {} : { error }),
    };
    try {
      onEnd(event);
    } catch (hookError) {
      // A failing log hook must not abort a response that is otherwise complete.
      process.emitWarning(hookError instanceof Error ? hookError : new Error(String(hookError)));
    }
  }

  /** Calls `return()` on the source so a generator's `finally` runs. Not awaited: it may be mid-`await`. */
  #closeSource(): void {
    let closing: unknown;
    try {
      closing = this.#iterator.return?.();
    } catch (error) {
      process.emitWarning(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (closing instanceof Promise) {
      closing.catch((error: unknown) => {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)));
      });
    }
  }

  #maxTotal(): number {
    const max = this.#limits.maxTotalBytes;
    return max > 0 ? max : Number.POSITIVE_INFINITY;
  }

  #deadline(): number {
    const ms = this.#limits.maxDurationMs;
    return ms > 0 ? this.#startedAt + ms : Number.POSITIVE_INFINITY;
  }

  #idleAt(): number {
    const ms = this.#limits.idleTimeoutMs;
    return ms > 0 ? this.#lastChunkAt + ms : Number.POSITIVE_INFINITY;
  }

  #heartbeatAt(): number {
    return this.#heartbeatMs > 0 ? this.#lastWriteAt + this.#heartbeatMs : Number.POSITIVE_INFINITY;
  }

  #nextTimerAt(): number {
    return Math.min(this.#deadline(), this.#idleAt(), this.#heartbeatAt());
  }
}

function toBytes(value: unknown): Uint8Array | null {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return value;
  return null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object'
    ? `an object (${value.constructor?.name ?? 'Object'})`
    : `a ${typeof value}`;
}
