/** Plain node:http: one handler, `if` on the path, zod for the body. No ranged reads. */
import http from 'node:http';
import { benchPort, EVENT_DATA, HELLO, receipt, userOf } from './common.js';
import { OrderSchema } from './order-schema.js';

const EVENT = `data: ${EVENT_DATA}\n\n`;
const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const subscribers = new Set<http.ServerResponse>();

function send(response: http.ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

const server = http.createServer((request, response) => {
  const url = request.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (request.method === 'GET' && path === '/hello') {
    send(response, 200, TEXT, HELLO);
  } else if (request.method === 'GET' && path.startsWith('/users/')) {
    send(response, 200, JSON_TYPE, JSON.stringify(userOf(decodeURIComponent(path.slice(7)))));
  } else if (request.method === 'POST' && path === '/orders') {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        send(response, 400, JSON_TYPE, '{"error":"invalid JSON"}');
        return;
      }
      const result = OrderSchema.safeParse(body);
      if (result.success) send(response, 200, JSON_TYPE, JSON.stringify(receipt(result.data)));
      else send(response, 400, JSON_TYPE, JSON.stringify({ issues: result.error.issues }));
    });
  } else if (request.method === 'GET' && path === '/events') {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    response.flushHeaders();
    subscribers.add(response);
    response.once('close', () => subscribers.delete(response));
  } else if (request.method === 'GET' && path === '/broadcast') {
    for (const subscriber of subscribers) subscriber.write(EVENT);
    send(response, 200, TEXT, String(subscribers.size));
  } else {
    send(response, 404, TEXT, 'Not Found');
  }
});
server.keepAliveTimeout = 120_000;
server.listen(benchPort(), '127.0.0.1');
