import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Endpoint } from '@bbws/router';
import { Connection, type ConnectionLimits } from '../connection/connection.js';
import type { RequestHandler } from '../connection/types.js';
import { TransportError } from '../errors.js';

/** One address to listen on. */
export interface ListenerOptions {
  /** IP to bind; `'default'` binds all interfaces. IPv6 may be given in brackets. */
  readonly ip: string;
  readonly port: number;
}

/** Options of {@link HttpServer}. */
export interface HttpServerOptions {
  readonly handler: RequestHandler;
  readonly listeners: readonly ListenerOptions[];
  readonly limits?: Partial<ConnectionLimits>;
}

const DEFAULT_LIMITS: ConnectionLimits = {
  maxHeaderBytes: 16_384,
  maxBodyBytes: 10_485_760,
  keepAliveTimeoutMs: 15_000,
  keepAliveMaxRequests: 100,
  streamLimits: Object.freeze({
    maxChunkBytes: 65_536,
    maxTotalBytes: 10_485_760,
    maxDurationMs: 60_000,
    idleTimeoutMs: 10_000,
  }),
};

/**
 * The HTTP/1.1 server: one `net.Server` per listener, one {@link Connection} per socket.
 * {@link HttpServer.serve} runs any Duplex through the same code (the in-memory transport).
 */
export class HttpServer {
  readonly #handler: RequestHandler;
  readonly #listenerOptions: readonly ListenerOptions[];
  readonly #limits: ConnectionLimits;
  readonly #servers: net.Server[] = [];
  readonly #connections = new Set<Connection>();

  constructor(options: HttpServerOptions) {
    this.#handler = options.handler;
    this.#listenerOptions = options.listeners;
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  /** Binds every listener. Resolves with the bound addresses (port 0 becomes the real port). */
  async listen(): Promise<Array<{ ip: string; port: number }>> {
    const bound: Array<{ ip: string; port: number }> = [];
    for (const options of this.#listenerOptions) {
      const server = net.createServer({ noDelay: true }, (socket) => this.#onSocket(socket));
      const host = options.ip === 'default' ? undefined : options.ip.replace(/^\[|\]$/g, '');
      await new Promise<void>((resolve, reject) => {
        server.once('error', (error) =>
          reject(
            new TransportError(
              'BBWS_ERR_TRANSPORT_LISTEN',
              `cannot listen on ${options.ip}:${options.port}: ${error.message}`,
              { cause: error },
            ),
          ),
        );
        server.listen({ host, port: options.port }, resolve);
      });
      const address = server.address() as net.AddressInfo;
      bound.push({ ip: address.address, port: address.port });
      this.#servers.push(server);
    }
    return bound;
  }

  /** Serves one Duplex (a socket or an in-memory stream) as a connection. */
  serve(stream: Duplex, endpoint: Endpoint, remoteAddress: string): Connection {
    const connection = new Connection(stream, endpoint, remoteAddress, this.#handler, this.#limits);
    this.#connections.add(connection);
    stream.once('close', () => this.#connections.delete(connection));
    return connection;
  }

  /** Stops accepting, closes idle connections, waits for the rest. */
  async close(): Promise<void> {
    const closing = this.#servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    this.#servers.length = 0;
    for (const c of this.#connections) c.destroy();
    await Promise.all(closing);
  }

  #onSocket(socket: net.Socket): void {
    const endpoint: Endpoint = {
      ip: socket.localAddress ?? '',
      port: socket.localPort ?? 0,
      domain: '',
      isTls: false,
    };
    this.serve(socket, endpoint, socket.remoteAddress ?? '');
  }
}
