/** Stable codes of offload failures; see docs/worker-pool.md. */
export type OffloadErrorCode =
  /** A worker thread found no app (or not the expected one) in the entry module it imported. */
  | 'BBWS_ERR_OFFLOAD_NO_APP'
  /** A worker's app has a different route list than the main thread's (the entry builds it differently). */
  | 'BBWS_ERR_OFFLOAD_ROUTE_MISMATCH';

/**
 * An offload failure with a stable `code`. Kept beside the offload code so that feature stays
 * one folder; docs/worker-pool.md lists the codes.
 */
export class OffloadError extends Error {
  override readonly name = 'OffloadError';
  readonly code: OffloadErrorCode;
  constructor(code: OffloadErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
