import { CoreError } from '../errors.js';

/** Stable codes of offload failures; see docs/worker-pool.md. */
export type OffloadErrorCode =
  /** A worker thread found no app (or not the expected one) in the entry module it imported. */
  | 'BBWS_ERR_OFFLOAD_NO_APP'
  /** A worker's app has a different route list than the main thread's (the entry builds it differently). */
  | 'BBWS_ERR_OFFLOAD_ROUTE_MISMATCH';

/**
 * An offload failure with a stable `code`. A `CoreError`, so callers that handle core's errors
 * handle these too; docs/worker-pool.md and docs/errors.md list the codes.
 */
export class OffloadError extends CoreError {
  override readonly name: string = 'OffloadError';
  declare readonly code: OffloadErrorCode;

  constructor(code: OffloadErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
