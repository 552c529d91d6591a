/**
 * @packageDocumentation
 * `@bbws/transport`: bbwebservice's own HTTP/1.1 engine. Listeners on raw `net` sockets,
 * an incremental strict parser, keep-alive, and an in-memory duplex that feeds the very same
 * connection code without a socket. See docs/transport.md.
 */

export type { Endpoint } from '@bbws/router';
export { Connection } from './connection/connection.js';
export type { HttpRequest, RequestHandler, ResponseSink, StreamLimits } from './connection/types.js';
export { TransportError, type TransportErrorCode } from './errors.js';
export { DuplexPair } from './memory/duplex-pair.js';
export { HttpServer, type HttpServerOptions, type ListenerOptions } from './server/http-server.js';
