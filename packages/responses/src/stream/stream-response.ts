import { ResponsesError } from '../errors.js';
import { isFinalStatus } from '../final-status.js';
import {
  contentTypeLineOf,
  type HeaderInit,
  hasHeader,
  headerBlockOf,
  toPairs,
} from '../internal/header-field.js';
import { LimitedStream, type StreamSource } from './limited-stream.js';
import type { StreamEndEvent, StreamLimits } from './stream-limits.js';

/** Options of {@link StreamResponse}. */
export interface StreamResponseInit {
  /** Content-Type; when absent the route's declared type applies. */
  readonly mimeType?: string;
  /** Status code, 200..599 (default 200). */
  readonly status?: number;
  /** Extra headers; framing headers are refused (the transport frames the stream). */
  readonly headers?: HeaderInit;
  /**
   * Limits for this stream, over the listener's (`stream_max_*` in config.json). An SSE
   * endpoint whose events are rare raises `idleTimeoutMs` here, for example.
   */
  readonly limits?: Partial<StreamLimits>;
  /** For `text/event-stream` only: an SSE comment is sent when nothing was written for this long. */
  readonly heartbeatMs?: number;
  /** Called once when the stream ends: complete, a limit, the client gone, or the source failed. */
  readonly onEnd?: (event: StreamEndEvent) => void;
  /**
   * For a source that pushes (an {@link SseChannel} subscription): the most bytes the socket
   * may hold unsent before the client is cut (`max-buffered-bytes`). 0 switches it off. A
   * pulled source needs none: it is not asked for more until the socket drained.
   */
  readonly maxBufferedBytes?: number;
}

/** What the response writer passes to {@link StreamResponse.open}. */
export interface StreamOpenOptions {
  /** The listener's limits. */
  readonly limits: StreamLimits;
  /** Whether the final Content-Type is `text/event-stream` (heartbeats apply only then). */
  readonly isEventStream: boolean;
  /** The app's hook, called after the response's own `onEnd`. */
  readonly onEnd?: (event: StreamEndEvent) => void;
}

/**
 * A body sent as it is produced: each chunk (string or bytes, from an iterable or async
 * iterable) is written as one HTTP/1.1 chunk and flushed; the next is pulled once the socket
 * drained. Limits per listener (chunk size, total, duration, idle) end the stream cleanly and
 * close the source; so does the client going away. Never compressed.
 * @example `return new StreamResponse(ticks(), { mimeType: MIME_TYPE.EVENT_STREAM, heartbeatMs: 15_000 })`
 * @throws ResponsesError `BBWS_ERR_STREAM_OPTIONS`, `BBWS_ERR_RESPONSE_HEADER`, `BBWS_ERR_MIME_TYPE_INVALID`
 * @see docs/responses.md#streaming-responses
 */
export class StreamResponse {
  readonly status: number;
  readonly mimeType: string | null;
  /** Validated header lines, with Content-Type when `mimeType` is given. */
  readonly headerLines: string;
  /** Whether the handler set Cache-Control itself (SSE streams get `no-cache` otherwise). */
  readonly hasCacheControl: boolean;
  readonly #source: StreamSource;
  readonly #init: StreamResponseInit;
  #isOpened = false;

  constructor(source: StreamSource, init: StreamResponseInit = {}) {
    if (
      source === null ||
      typeof source !== 'object' ||
      source instanceof Uint8Array ||
      (typeof (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] !== 'function' &&
        typeof (source as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function')
    ) {
      throw new ResponsesError(
        'BBWS_ERR_STREAM_OPTIONS',
        'StreamResponse needs an iterable or async iterable of chunks (a string or Uint8Array is one body: return it directly)',
      );
    }
    const status = init.status ?? 200;
    if (!isFinalStatus(status) || status === 204 || status === 304) {
      throw new ResponsesError(
        'BBWS_ERR_STREAM_OPTIONS',
        `StreamResponse status must be 200..599 with a body, got ${status}`,
      );
    }
    const heartbeatMs = init.heartbeatMs;
    if (heartbeatMs !== undefined && !(Number.isFinite(heartbeatMs) && heartbeatMs > 0)) {
      throw new ResponsesError(
        'BBWS_ERR_STREAM_OPTIONS',
        `heartbeatMs must be a positive number, got ${heartbeatMs}`,
      );
    }
    const maxBuffered = init.maxBufferedBytes;
    if (maxBuffered !== undefined && !(Number.isSafeInteger(maxBuffered) && maxBuffered >= 0)) {
      throw new ResponsesError(
        'BBWS_ERR_STREAM_OPTIONS',
        `maxBufferedBytes must be a whole number >= 0, got ${maxBuffered}`,
      );
    }
    const pairs = toPairs(init.headers);
    this.status = status;
    this.mimeType = init.mimeType ?? null;
    this.headerLines =
      headerBlockOf(pairs) + (this.mimeType === null ? '' : contentTypeLineOf(this.mimeType));
    this.hasCacheControl = hasHeader(pairs, 'cache-control');
    this.#source = source;
    this.#init = init;
  }

  /**
   * The body to hand the transport. Called once by the response writer.
   * @throws ResponsesError `BBWS_ERR_STREAM_OPTIONS` when the stream was already written
   */
  open(options: StreamOpenOptions): LimitedStream {
    if (this.#isOpened) {
      throw new ResponsesError(
        'BBWS_ERR_STREAM_OPTIONS',
        'this StreamResponse was already written; build one per request',
      );
    }
    this.#isOpened = true;
    const own = this.#init.onEnd;
    const app = options.onEnd;
    const onEnd =
      own === undefined
        ? app
        : app === undefined
          ? own
          : (event: StreamEndEvent) => {
              try {
                own(event);
              } finally {
                app(event);
              }
            };
    return new LimitedStream(this.#source, {
      limits: { ...options.limits, ...this.#init.limits },
      heartbeatMs: options.isEventStream ? (this.#init.heartbeatMs ?? 0) : 0,
      maxBufferedBytes: this.#init.maxBufferedBytes ?? 0,
      ...(onEnd === undefined ? {} : { onEnd }),
    });
  }
}
