import type { WorkerPoolErrorCode } from './worker-pool/worker-pool-error.js';

/** Stable codes of the transport's errors; see docs/errors.md and docs/transport.md. */
export type TransportErrorCode =
  | 'BBWS_ERR_TRANSPORT_LISTEN'
  | 'BBWS_ERR_TRANSPORT_NO_LISTENER'
  | 'BBWS_ERR_TRANSPORT_RESPONSE_STATE'
  | 'BBWS_ERR_TRANSPORT_CERTIFICATE'
  | 'BBWS_ERR_TRANSPORT_NO_LISTENER'
  | WorkerPoolErrorCode;

/** A transport failure with a stable `code`; the base of the package's error classes. */
export class TransportError extends Error {
  override readonly name: string = 'TransportError';
  readonly code: TransportErrorCode;
  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
