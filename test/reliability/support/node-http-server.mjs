/**
 * The comparison target: a plain node:http server with limits comparable to the drill's
 * bbwebservice config, in a process of its own.
 *
 * `node node-http-server.mjs '<spec JSON>'`, spec (all optional):
 * `{ "mode": "hello" | "echo", "headersTimeoutMs", "requestTimeoutMs", "keepAliveTimeoutMs",
 *    "maxHeaderSize", "maxBodyBytes", "maxRequestsPerSocket", "maxConnections", "delayMs",
 *    "stopTimeoutMs", "countHandled" }`
 * - `hello` (default) mirrors the quickstart: `GET /hello` answers a greeting, another method on
 *   /hello 405, other paths 404; every body is read first, and one over `maxBodyBytes`
 *   (declared or counted) is answered 413 and the connection closed.
 * - `echo` answers each request with its target after `delayMs`, like bbws-server's echo mode.
 * SIGTERM: `server.close()` (which closes idle keep-alive connections), then exit; what is still
 * open after `stopTimeoutMs` is destroyed. Prints `{"port":N}` once listening and, with
 * `countHandled`, `{"handled":N}` at exit.
 */
import fs from 'node:fs';
import http from 'node:http';

const spec = JSON.parse(process.argv[2] ?? '{}');
const maxBodyBytes = spec.maxBodyBytes ?? 10_485_760;
const delayMs = spec.delayMs ?? 0;
let handled = 0;

function tooLarge(response) {
  response.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' });
  response.end('Payload Too Large');
}

function answer(request, response) {
  if (spec.mode === 'echo') {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    response.end(request.url);
    return;
  }
  const path = (request.url ?? '').split('?')[0];
  if (path !== '/hello') {
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('Not Found');
  } else if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { 'Content-Type': 'text/plain', Allow: 'GET, HEAD' });
    response.end('Method Not Allowed');
  } else {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('Hello from node:http!');
  }
}

const server = http.createServer(
  {
    maxHeaderSize: spec.maxHeaderSize ?? 16_384,
    headersTimeout: spec.headersTimeoutMs ?? 10_000,
    requestTimeout: spec.requestTimeoutMs ?? 30_000,
    keepAliveTimeout: spec.keepAliveTimeoutMs ?? 15_000,
    // The default (30 s) checks header and request deadlines too rarely for a drill.
    connectionsCheckingInterval: 250,
  },
  (request, response) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) {
      tooLarge(response);
      request.socket.destroySoon();
      return;
    }
    let received = 0;
    request.on('data', (chunk) => {
      received += chunk.length;
      if (received > maxBodyBytes && !response.headersSent) {
        tooLarge(response);
        request.socket.destroySoon();
      }
    });
    request.on('end', () => {
      if (response.headersSent) return;
      handled++;
      if (delayMs > 0) setTimeout(answer, delayMs, request, response);
      else answer(request, response);
    });
  },
);
server.maxRequestsPerSocket = spec.maxRequestsPerSocket ?? 0;
// Sockets over the cap are destroyed at accept, without an answer (node:http has no 503 of its own).
if (spec.maxConnections !== undefined) server.maxConnections = spec.maxConnections;
// No 'clientError' listener: node:http's own answers to parse errors and timeouts (400, 408,
// 431) are what the drills compare.

if (spec.countHandled === true) {
  process.on('exit', () => fs.writeSync(1, `${JSON.stringify({ handled })}\n`));
}
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(0);
  }, spec.stopTimeoutMs ?? 10_000).unref();
});

server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
