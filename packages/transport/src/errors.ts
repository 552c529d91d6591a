import { BbwsError } from '@bbws/router';
import { WORKER_POOL_ERRORS } from './worker-pool/worker-pool-error.js';

/**
 * The transport's error table (docs/errors.md is generated from it); the worker pool's codes
 * are in {@link WORKER_POOL_ERRORS}. See docs/transport.md.
 */
export const TRANSPORT_ERRORS = {
  BBWS_ERR_TRANSPORT_LISTEN: 'a listener could not bind (address in use, no such address); names ip and port',
  BBWS_ERR_TRANSPORT_CERTIFICATE:
    'a certificate or key could not be read or does not parse; names the full paths. That listener does not start (logged); others do',
  BBWS_ERR_TRANSPORT_NO_LISTENER:
    "`listen()` (and so `app.start()`) with listeners configured and none started: one line per listener, ip:port and why (the certificate paths), and `app.start()` leaves nothing running; or `server.serve()` (and so a `TestClient` request) named a port no listener has, an ip no listener on that port has, or a TLS flag that is not the listener's, and the message lists the configured listeners (`127.0.0.1:5000, [::1]:5001 (TLS)`)",
} as const;

/** Stable codes of the transport's errors, the worker pool's included. */
export type TransportErrorCode = keyof typeof TRANSPORT_ERRORS | keyof typeof WORKER_POOL_ERRORS;

/** A transport failure with a stable `code`; the base of the package's error classes. */
export class TransportError extends BbwsError {
  override readonly name: string = 'TransportError';
  declare readonly code: TransportErrorCode;
  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
