import type { StreamLimits } from './types.js';

/**
 * Limits and timeouts of one listener (config keys in parentheses; the config's seconds are
 * milliseconds here). Every key may be set globally and overridden per `server` entry.
 * @see docs/transport.md
 */
export interface TransportLimits {
  /** Longest request-target; longer is 414 (`max_url_length`). */
  readonly maxUrlLength: number;
  /** Largest request head, and largest trailer section; larger is 431 (`max_header_size`). */
  readonly maxHeaderBytes: number;
  /** Largest request body, declared or counted; larger is 413 (`max_body_size`). */
  readonly maxBodyBytes: number;
  /** Time for a whole head to arrive; then 408 (`header_timeout`). 0 disables. */
  readonly headerTimeoutMs: number;
  /** Slowest accepted average upload rate of a body; slower is 408 (`body_min_rate_bytes_per_sec`). 0 disables. */
  readonly bodyMinBytesPerSec: number;
  /** Longest pause between two reads of a body; longer is 408 (`body_idle_timeout`). 0 disables. */
  readonly bodyIdleTimeoutMs: number;
  /**
   * Longest time a response may make no write progress (the client stopped reading); then the
   * connection is closed (`send_timeout`). 0 disables.
   */
  readonly sendTimeoutMs: number;
  /** Time a handler has to begin its response; then 504 (`handler_timeout`). 0 disables. */
  readonly handlerTimeoutMs: number;
  /** How long an idle kept-alive connection stays open (`keep_alive_timeout`). 0 disables keep-alive. */
  readonly keepAliveTimeoutMs: number;
  /** Requests served on one connection before it is closed (`keep_alive_max_requests`); 0 means no limit. */
  readonly keepAliveMaxRequests: number;
  /** Requests in progress on this listener at once (`max_threads` of the server entry). */
  readonly maxInFlight: number;
  /** New connections that may wait while the listener is saturated (`queue_size`). */
  readonly queueSize: number;
  /**
   * How long a new connection may wait in that queue, and a complete request for a request
   * slot, before 503 (`connection_queue_timeout`). 0 waits indefinitely.
   */
  readonly queueTimeoutMs: number;
  /** Open connections on this listener, queued ones included; more get 503 (`max_connections`). */
  readonly maxConnections: number;
  /** Limits of streamed response bodies. */
  readonly streamLimits: StreamLimits;
}

/** @deprecated Use {@link TransportLimits}. */
export type ConnectionLimits = TransportLimits;

/**
 * Defaults: the seed's numbers, except where they would cripple an event loop (see
 * docs/transport.md, "Defaults").
 */
export const DEFAULT_LIMITS: TransportLimits = Object.freeze({
  maxUrlLength: 2048,
  maxHeaderBytes: 16_384,
  maxBodyBytes: 10_485_760,
  headerTimeoutMs: 10_000,
  bodyMinBytesPerSec: 1024,
  bodyIdleTimeoutMs: 10_000,
  sendTimeoutMs: 30_000,
  handlerTimeoutMs: 30_000,
  keepAliveTimeoutMs: 15_000,
  keepAliveMaxRequests: 100,
  maxInFlight: 1024,
  queueSize: 32,
  queueTimeoutMs: 2000,
  maxConnections: 16_384,
  streamLimits: Object.freeze({
    maxChunkBytes: 65_536,
    maxTotalBytes: 10_485_760,
    maxDurationMs: 60_000,
    idleTimeoutMs: 10_000,
  }),
});

/** Default cap on open connections per server: admits 10,000 idle keep-alive clients with room. */
export const DEFAULT_MAX_CONNECTIONS = 16_384;
/** Default bound on the memory all request bodies in progress hold together (256 MiB). */
export const DEFAULT_MAX_BODY_BUFFER_TOTAL = 268_435_456;
/** Default global cap on requests in progress across all listeners. */
export const DEFAULT_MAX_IN_FLIGHT_TOTAL = 4096;
