import { TransportError } from '../errors.js';

/** Stable codes of the worker pool's errors; see docs/worker-pool.md. */
export type WorkerPoolErrorCode =
  /** A job ran past the pool's job timeout (its answer is a 504). */
  | 'BBWS_ERR_POOL_JOB_TIMEOUT'
  /** The worker running a job exited or was replaced before it answered (a 503). */
  | 'BBWS_ERR_POOL_WORKER_LOST'
  /** A worker failed while loading, before it reported ready. */
  | 'BBWS_ERR_POOL_WORKER_START'
  /** A job was submitted to, or still waiting in, a closed pool. */
  | 'BBWS_ERR_POOL_CLOSED'
  /** Pool options out of range (size, per-worker concurrency, threshold). */
  | 'BBWS_ERR_POOL_OPTIONS';

/**
 * A worker pool failure with a stable `code`. A `TransportError`, so callers that handle the
 * transport's errors handle these too; docs/worker-pool.md and docs/errors.md list the codes.
 */
export class WorkerPoolError extends TransportError {
  override readonly name: string = 'WorkerPoolError';
  declare readonly code: WorkerPoolErrorCode;

  constructor(code: WorkerPoolErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
