import type { Endpoint } from '@bbws/router';
import { type HttpRequest, HttpServer, type RequestHandler } from '@bbws/transport';

/** What the echo server saw of a request. */
export interface Echo {
  readonly method: string;
  readonly target: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Array<[string, string]>;
  readonly body: string | null;
  readonly endpoint: Endpoint;
  readonly remoteAddress: string;
}

/** A bare transport server that answers every request with what it received, as JSON. */
export function echoServer(): HttpServer {
  const handler: RequestHandler = (request: HttpRequest, sink) => {
    const headers: Array<[string, string]> = [];
    for (let i = 0; i < request.headers.length; i += 2)
      headers.push([request.headers[i] as string, request.headers[i + 1] as string]);
    const echo: Echo = {
      method: request.method,
      target: request.target,
      path: request.path,
      query: request.query,
      headers,
      body: request.body === null ? null : request.body.toString('latin1'),
      endpoint: request.endpoint,
      remoteAddress: request.remoteAddress,
    };
    sink.send(200, 'Content-Type: application/json\r\n', JSON.stringify(echo));
  };
  return new HttpServer({ handler, listeners: [] });
}

/** The value of header `name` in an echo. */
export function field(echo: Echo, name: string): string | undefined {
  return echo.headers.find(([n]) => n === name)?.[1];
}
