import net from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { HttpServer, type HttpServerOptions, type RequestHandler } from '../../src/index.js';
import { ByteReader, type RawResponse, readResponse } from './wire.js';

/** Answers every request with a JSON description of what the transport parsed. */
export const echoHandler: RequestHandler = (request, sink) => {
  sink.send(
    200,
    'Content-Type: application/json\r\n',
    JSON.stringify({
      method: request.method,
      target: request.target,
      path: request.path,
      query: request.query,
      versionMinor: request.versionMinor,
      headers: request.headers,
      body: request.body === null ? null : request.body.toString('latin1'),
      endpoint: request.endpoint,
      remoteAddress: request.remoteAddress,
    }),
  );
};

/**
 * A server with three listeners, each on a port of its own: 127.0.0.1, [::1] and `default`
 * (every address, both families). Listens in the file's `beforeAll` and closes in its
 * `afterAll`; `ports` holds the three bound ports in that order once it listens.
 */
export function serveOnEveryFamily(handler: RequestHandler): {
  readonly server: HttpServer;
  readonly ports: number[];
} {
  const server = new HttpServer({
    handler,
    listeners: [
      { ip: '127.0.0.1', port: 0 },
      { ip: '[::1]', port: 0 },
      { ip: 'default', port: 0 },
    ],
    log: () => {},
  });
  const ports: number[] = [];
  beforeAll(async () => {
    ports.push(...(await server.listen()).map((bound) => bound.port));
  });
  afterAll(() => server.close(1000));
  return { server, ports };
}

/** A started server on 127.0.0.1 (or `ip`) with a random port; `stop()` closes it. */
export interface TestServer {
  readonly server: HttpServer;
  readonly port: number;
  readonly ip: string;
  stop(): Promise<void>;
}

export async function startServer(
  options: Partial<HttpServerOptions> & { readonly ip?: string } = {},
): Promise<TestServer> {
  const ip = options.ip ?? '127.0.0.1';
  const server = new HttpServer({
    handler: echoHandler,
    listeners: [{ ip, port: 0 }],
    log: () => {},
    ...options,
  });
  const [bound] = await server.listen();
  return { server, port: bound?.port ?? 0, ip, stop: () => server.close(1000) };
}

/** A raw TCP client: writes bytes, reads responses, tells whether the server closed. */
export class RawClient {
  readonly socket: net.Socket;
  readonly reader: ByteReader;
  #closed = false;
  readonly #whenClosed: Promise<void>;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    this.reader = new ByteReader(socket);
    socket.on('error', () => {});
    this.#whenClosed = new Promise((resolve) => {
      const done = () => {
        this.#closed = true;
        resolve();
      };
      socket.once('end', done);
      socket.once('close', done);
    });
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    const socket = net.connect({ port, host });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  write(bytes: string | Uint8Array): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  read(isHead = false): Promise<RawResponse> {
    return readResponse(this.reader, isHead);
  }

  /** Whether the server ended the connection within `ms`. */
  async isClosedWithin(ms = 1000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#whenClosed, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
    return this.#closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Sends `bytes` on a fresh connection; returns the first response and whether the server then closed. */
export async function exchange(
  port: number,
  bytes: string | Uint8Array,
  host = '127.0.0.1',
  closeWaitMs = 1000,
): Promise<{ response: RawResponse; closed: boolean }> {
  const client = await RawClient.connect(port, host);
  try {
    client.write(bytes);
    const response = await client.read();
    const closed = closeWaitMs > 0 && (await client.isClosedWithin(closeWaitMs));
    return { response, closed };
  } finally {
    client.close();
  }
}

export function header(response: RawResponse, name: string): string | undefined {
  return response.headerList.find(([n]) => n === name)?.[1];
}

export function echoed(response: RawResponse): {
  method: string;
  target: string;
  path: string;
  query: string;
  versionMinor: number;
  headers: string[];
  body: string | null;
  endpoint: { ip: string; port: number; domain: string; isTls: boolean };
  remoteAddress: string;
} {
  return JSON.parse(response.body.toString('utf8'));
}
