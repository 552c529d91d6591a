import { TransportError } from '../errors.js';

/** The worker pool's error table (docs/errors.md is generated from it); see docs/worker-pool.md. */
export const WORKER_POOL_ERRORS = {
  BBWS_ERR_POOL_JOB_TIMEOUT:
    'an offloaded job passed its deadline (`handler_timeout`); the request answers 504',
  BBWS_ERR_POOL_WORKER_LOST: 'the worker running a job exited or was replaced; the request answers 503',
  BBWS_ERR_POOL_WORKER_START:
    'a worker failed to load the app from the module `createApp({ worker })` names; `app.start()` (or `app.init()`) fails',
  BBWS_ERR_POOL_CLOSED: 'a job was given to a pool that is closing',
  BBWS_ERR_POOL_OPTIONS: 'invalid pool options (size, concurrency, threshold)',
} as const;

/** Stable codes of the worker pool's errors: the keys of {@link WORKER_POOL_ERRORS}. */
export type WorkerPoolErrorCode = keyof typeof WORKER_POOL_ERRORS;

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
