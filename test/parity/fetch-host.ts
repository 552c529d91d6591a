import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** A WHATWG fetch handler, as `toFetchHandler(app)` returns. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * A fetch host on node:http, built the way @hono/node-server builds one: the host parses the
 * bytes, each request becomes a `Request` (URL from Host, body streamed), and the handler's
 * `Response` is written back (status, the fields as its `Headers` yield them, body streamed).
 * So the fetch adapter is tested behind a real host, over a real socket.
 * @param remoteAddresses filled with each request's client address, for the adapter's option
 */
export async function startFetchHost(
  handler: FetchHandler,
  remoteAddresses: WeakMap<Request, string>,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const socket = req.socket;
    const host = req.headers.host ?? `${socket.localAddress}:${socket.localPort}`;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(new URL(req.url ?? '/', `http://${host}`), {
      method: req.method,
      headers: headersOf(req.rawHeaders),
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
      // A streamed request body needs it (undici): the body is sent while the answer may come.
      duplex: 'half',
    } as RequestInit);
    remoteAddresses.set(request, socket.remoteAddress ?? '');
    handler(request).then(
      (response) => writeResponse(response, res),
      (error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function headersOf(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

async function writeResponse(response: Response, res: http.ServerResponse): Promise<void> {
  const fields: string[] = [];
  // Headers yields each Set-Cookie on its own and every other name once, values joined.
  for (const [name, value] of response.headers) fields.push(name, value);
  res.writeHead(response.status, fields);
  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.once('close', () => void reader.cancel().catch(() => {}));
  try {
    for (let next = await reader.read(); next.done !== true; next = await reader.read()) {
      if (!res.write(next.value)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  } catch {
    res.destroy();
  }
}
