import { CoreError } from '../errors.js';

/** Stable codes of offload failures; see docs/worker-pool.md. */
export type OffloadErrorCode =
  /** A worker found no app at the module export the app named (`createApp({ worker })`). */
  | 'BBWS_ERR_OFFLOAD_NO_APP'
  /** A route is offloaded but the app names no module for its workers to build it from. */
  | 'BBWS_ERR_OFFLOAD_NO_WORKER_MODULE'
  /** A worker must load a TypeScript module and @swc/core cannot be found from it. */
  | 'BBWS_ERR_OFFLOAD_TS_LOADER'
  /** A worker's app has a different route list than the main thread's (the factory builds it differently). */
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
