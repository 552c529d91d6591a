import { ResponsesError } from '../errors.js';
import { MIME_TYPE } from '../mime-type.js';
import { PUSH_SOURCE, type PushSource, type PushTarget } from '../stream/push-body.js';
import { StreamResponse, type StreamResponseInit } from '../stream/stream-response.js';
import { SseEvent } from './sse-event.js';

/** Options of {@link SseChannel}. */
export interface SseChannelOptions {
  /**
   * The most bytes one subscriber may fall behind (unsent in its socket, or queued for a
   * consumer that pulls) before it is cut; default 256 KiB, 0 for no limit.
   */
  readonly maxBufferedBytes?: number;
}

/** What {@link SseChannel.subscribe} takes: a StreamResponse's options, the type is fixed. */
export type SseSubscribeInit = Omit<StreamResponseInit, 'mimeType' | 'maxBufferedBytes'>;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
const DEFAULT_MAX_BUFFERED = 262_144;

/**
 * Fan-out of server-sent events: every subscriber's stream gets each published event. An
 * event is encoded once per publish, and the same bytes are written to every socket at once
 * (no generator, no promise per subscriber and event). A subscriber joins when its stream
 * starts and leaves when it ends (client gone, a limit, or {@link close}).
 * @example `return channel.subscribe({ heartbeatMs: 15_000 })` in a handler, `channel.publish(new SseEvent(data))` elsewhere
 * @throws ResponsesError `BBWS_ERR_STREAM_OPTIONS` for a bad `maxBufferedBytes`
 * @see docs/responses.md#fan-out-to-many-clients-ssechannel
 */
export class SseChannel {
  readonly #subscribers = new Set<ChannelSubscription>();
  readonly #maxBufferedBytes: number;
  #isClosed = false;

  constructor(options: SseChannelOptions = {}) {
    const max = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
    if (!(Number.isSafeInteger(max) && max >= 0)) {
      throw new ResponsesError(
        'BBWS_ERR_STREAM_OPTIONS',
        `SseChannel maxBufferedBytes must be a whole number >= 0, got ${max}`,
      );
    }
    this.#maxBufferedBytes = max;
  }

  /** Subscribers whose streams are running. */
  get size(): number {
    return this.#subscribers.size;
  }

  /** Whether {@link close} was called. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /**
   * A `text/event-stream` response that receives every event published from the moment it
   * starts. Return it from a handler; build one per request.
   */
  subscribe(init: SseSubscribeInit = {}): StreamResponse {
    return new StreamResponse(new ChannelSubscription(this, this.#maxBufferedBytes), {
      ...init,
      mimeType: MIME_TYPE.EVENT_STREAM,
      maxBufferedBytes: this.#maxBufferedBytes,
    });
  }

  /**
   * Sends one event to every subscriber: an SseEvent, or bytes already in event-stream format
   * (`SseEvent.toBytes()`, `SseEvent.comment()`), which must not change afterwards.
   * @returns the number of subscribers it was written to
   */
  publish(event: SseEvent | Uint8Array): number {
    const bytes = event instanceof SseEvent ? event.toBytes() : event;
    if (!(bytes instanceof Uint8Array)) {
      throw new ResponsesError(
        'BBWS_ERR_STREAM_CHUNK',
        'SseChannel.publish takes an SseEvent or Uint8Array (SseEvent.toBytes())',
      );
    }
    const count = this.#subscribers.size;
    if (count === 0 || bytes.byteLength === 0) return count;
    for (const subscriber of this.#subscribers) subscriber.deliver(bytes);
    return count;
  }

  /** Ends every subscriber's stream cleanly; later subscribers end at once. */
  close(): void {
    this.#isClosed = true;
    for (const subscriber of this.#subscribers) subscriber.finish();
    this.#subscribers.clear();
  }

  /** @internal */
  join(subscriber: ChannelSubscription): boolean {
    if (this.#isClosed) return false;
    this.#subscribers.add(subscriber);
    return true;
  }

  /** @internal */
  leave(subscriber: ChannelSubscription): void {
    this.#subscribers.delete(subscriber);
  }
}

/**
 * One subscriber. Pushed by the socket transport (every event goes straight to the stream's
 * limits and the socket); pulled by a consumer that only iterates (the adapters), with the
 * events queued up to `maxBufferedBytes`.
 */
class ChannelSubscription implements AsyncIterableIterator<Uint8Array>, PushSource {
  readonly #channel: SseChannel;
  readonly #maxQueued: number;
  #target: PushTarget | null = null;
  #state: 'new' | 'open' | 'done' = 'new';
  #queue: Uint8Array[] = [];
  #queuedBytes = 0;
  #failure: ResponsesError | null = null;
  #waiter: ((result: IteratorResult<Uint8Array>) => void) | null = null;
  #failWaiter: ((error: unknown) => void) | null = null;

  constructor(channel: SseChannel, maxQueued: number) {
    this.#channel = channel;
    this.#maxQueued = maxQueued;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  [PUSH_SOURCE](target: PushTarget): void {
    if (this.#state !== 'new') return;
    this.#target = target;
    if (!this.#open()) target.end();
  }

  /** An event from the channel. */
  deliver(bytes: Uint8Array): void {
    const target = this.#target;
    if (target !== null) {
      target.push(bytes, true);
      return;
    }
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      this.#failWaiter = null;
      waiter({ done: false, value: bytes });
      return;
    }
    this.#queue.push(bytes);
    this.#queuedBytes += bytes.byteLength;
    if (this.#maxQueued > 0 && this.#queuedBytes > this.#maxQueued) {
      this.#failure = new ResponsesError(
        'BBWS_ERR_STREAM_BEHIND',
        `an SseChannel subscriber fell more than ${this.#maxQueued} bytes behind (maxBufferedBytes)`,
      );
      this.#queue = [];
      this.#queuedBytes = 0;
      this.#leave();
    }
  }

  /** The channel closed. */
  finish(): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    const target = this.#target;
    this.#target = null;
    if (target !== null) {
      target.end();
      return;
    }
    const waiter = this.#waiter;
    this.#waiter = null;
    this.#failWaiter = null;
    waiter?.(DONE);
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#state === 'new') this.#open();
    const queued = this.#queue.shift();
    if (queued !== undefined) {
      this.#queuedBytes -= queued.byteLength;
      return Promise.resolve({ done: false, value: queued });
    }
    if (this.#failure !== null) return Promise.reject(this.#failure);
    if (this.#state === 'done') return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.#waiter = resolve;
      this.#failWaiter = reject;
    });
  }

  /** The stream ended (client gone, a limit): leave the channel. */
  async return(): Promise<IteratorResult<Uint8Array>> {
    this.#leave();
    this.#queue = [];
    this.#queuedBytes = 0;
    const waiter = this.#waiter;
    this.#waiter = null;
    this.#failWaiter = null;
    waiter?.(DONE);
    return DONE;
  }

  #open(): boolean {
    if (this.#channel.join(this)) {
      this.#state = 'open';
      return true;
    }
    this.#state = 'done';
    return false;
  }

  #leave(): void {
    this.#state = 'done';
    this.#target = null;
    this.#channel.leave(this);
    const fail = this.#failWaiter;
    this.#waiter = null;
    this.#failWaiter = null;
    if (fail !== null && this.#failure !== null) fail(this.#failure);
  }
}
