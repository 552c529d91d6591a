/**
 * @packageDocumentation
 * `@bbws/transport`: bbwebservice's own HTTP/1.1 engine. Listeners on raw `net` and `tls`
 * sockets, a strict incremental parser, request slots and an accept queue for backpressure,
 * keep-alive and pipelining, timeouts, TLS with SNI and certificate reload, and an in-memory
 * duplex that feeds the very same connection code without a socket. See docs/transport.md.
 */

export type { Endpoint } from '@bbws/router';
export { Connection } from './connection/connection.js';
export { domainOfHost } from './connection/host-domain.js';
export { type ConnectionLimits, DEFAULT_LIMITS, type TransportLimits } from './connection/limits.js';
export type { HttpsRedirect, TransportLog, TransportLogLevel } from './connection/listener-context.js';
export { RequestBodyStream } from './connection/request-body-stream.js';
export type {
  BodyStreamPolicy,
  HttpRequest,
  RequestHandler,
  ResponseSink,
  StreamLimits,
} from './connection/types.js';
export { TransportError, type TransportErrorCode } from './errors.js';
export { DuplexPair } from './memory/duplex-pair.js';
export type { RequestHead } from './parser/request-head.js';
export {
  BODY_END,
  BODY_PIECE,
  type BodyStreamDecider,
  FAILED,
  NEED_MORE,
  type ParsePhase,
  type ParserLimits,
  type ParseStep,
  REQUEST,
  RequestParser,
} from './parser/request-parser.js';
export type { ProxyProtocolCounts } from './proxy-protocol/proxy-header-reader.js';
export {
  type BoundAddress,
  HttpServer,
  type HttpServerOptions,
  type LimitOverrides,
  type ListenerOptions,
} from './server/http-server.js';
export type { ListenerAddress } from './server/listener-table.js';
export type { TimeoutCounts, TimeoutEvent, TimeoutKind } from './server/timeout-counters.js';
export type { SniHost, TlsOptions } from './tls/certificate-store.js';
export {
  type JobResult,
  type JobRunner,
  servePoolJobs,
  timeoutsBeforeReplace,
  WorkerPool,
  WorkerPoolError,
  type WorkerPoolErrorCode,
  type WorkerPoolEvent,
  type WorkerPoolOptions,
} from './worker-pool/index.js';
