/**
 * The transport alone, no app: an HttpServer whose handler answers `GET /hello`'s text to every
 * request. For the analysis tools (`--server transport`), to tell the transport's cost from the
 * app's; not one of the suite's servers.
 */
import { HttpServer } from '@bbws/transport';
import { benchPort, HELLO } from './common.js';

const server = new HttpServer({
  handler: (_request, sink) => sink.send(200, 'Content-Type: text/plain; charset=utf-8\r\n', HELLO),
  listeners: [{ ip: '127.0.0.1', port: benchPort() }],
  limits: { keepAliveMaxRequests: 0 },
});
await server.listen();
