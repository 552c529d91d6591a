import http from 'node:http';
import { HELLO } from './hello-body.js';

/** Plain node:http: one handler, no router. */
export async function startNodeHttp(port: number): Promise<void> {
  const server = http.createServer((request, response) => {
    if (request.url === '/hello') {
      response.writeHead(200, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': HELLO.length,
      });
      response.end(HELLO);
    } else {
      response.writeHead(404, { 'Content-Length': 0 });
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
}
