import { CoreError } from '../errors.js';

/** The offload error table (docs/errors.md is generated from it); see docs/worker-pool.md. */
export const OFFLOAD_ERRORS = {
  BBWS_ERR_OFFLOAD_NO_APP:
    'a pool worker imported the module named by `createApp({ worker })` but found no such export, or the export gave no app',
  BBWS_ERR_OFFLOAD_NO_WORKER_MODULE:
    '`createApp`: a route is offloaded (`@Offload()`, `handler_placement: "pool"`) but the app names no `worker: { module, export }` for its workers to build it from',
  BBWS_ERR_OFFLOAD_TS_LOADER:
    "a pool worker must load a `.ts` module (tests from TypeScript sources) and `@swc/core` cannot be found from that module; in the worker's start failure",
  BBWS_ERR_OFFLOAD_ROUTE_MISMATCH: "the app a worker built has different routes than the main thread's",
} as const;

/** Stable codes of offload failures: the keys of {@link OFFLOAD_ERRORS}. */
export type OffloadErrorCode = keyof typeof OFFLOAD_ERRORS;

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
