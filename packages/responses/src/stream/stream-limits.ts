/**
 * Limits of a streamed body. The transport carries one object per listener (config keys
 * `stream_max_chunk_size`, `stream_max_total_bytes`, `stream_max_duration`,
 * `stream_idle_timeout`, in bytes and milliseconds here). A value `<= 0` or `Infinity`
 * switches that limit off.
 */
export interface StreamLimits {
  /** Larger chunks are split into pieces of this size, not rejected. */
  readonly maxChunkBytes: number;
  /** The stream ends before the chunk that would pass this total. */
  readonly maxTotalBytes: number;
  /** The stream ends this long after it started. */
  readonly maxDurationMs: number;
  /** The stream ends when the source produced nothing for this long. */
  readonly idleTimeoutMs: number;
}

/** The seed's defaults: 64 KiB chunks, 10 MiB, 60 s, 10 s idle. */
export const DEFAULT_STREAM_LIMITS: StreamLimits = Object.freeze({
  maxChunkBytes: 65_536,
  maxTotalBytes: 10_485_760,
  maxDurationMs: 60_000,
  idleTimeoutMs: 10_000,
});

/** Why a stream ended. */
export type StreamEndReason =
  /** The source finished. */
  | 'complete'
  /** `maxTotalBytes` reached. */
  | 'max-total-bytes'
  /** `maxDurationMs` passed. */
  | 'max-duration'
  /** The source was silent for `idleTimeoutMs`. */
  | 'idle-timeout'
  /** A pushed stream's client fell more than `maxBufferedBytes` behind: the connection is closed. */
  | 'max-buffered-bytes'
  /** The consumer stopped: the client went away, or the request was HEAD. */
  | 'closed'
  /** The source threw; the connection is aborted, since the status is already out. */
  | 'error';

/** What a stream reports once, when it ends. */
export interface StreamEndEvent {
  readonly reason: StreamEndReason;
  /** Body bytes handed to the transport (heartbeats included). */
  readonly bytes: number;
  /** Chunks handed to the transport (after splitting). */
  readonly chunks: number;
  /** From the first pull to the end. */
  readonly durationMs: number;
  /** The source's error, for `reason: 'error'`. */
  readonly error?: unknown;
}

/** Whether a reason is one of the limits (not complete, closed or error). */
export function isLimitReason(reason: StreamEndReason): boolean {
  return (
    reason === 'max-total-bytes' ||
    reason === 'max-duration' ||
    reason === 'idle-timeout' ||
    reason === 'max-buffered-bytes'
  );
}
