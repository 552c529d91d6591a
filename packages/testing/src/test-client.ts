import { type App, type AppOptions, createApp } from '@bbws/core';
import { DuplexPair, type Endpoint } from '@bbws/transport';
import { ByteReader, type RawResponse, readResponse } from './response-reader.js';
import { TestResponse } from './test-response.js';

/** One request for {@link TestClient.request}. */
export interface TestRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Host header and endpoint domain (default `localhost`). */
  readonly host?: string;
  /** Local IP the request "arrives" on (default `127.0.0.1`). */
  readonly ip?: string;
  /** Local port the request "arrives" on (default 5000). */
  readonly port?: number;
}

/** Options of {@link TestClient.raw}. */
export interface RawOptions {
  /** How many responses to read (default 1). */
  readonly responses?: number;
  /** Whether the requests are HEAD requests. */
  readonly isHead?: boolean;
}

/** Per-request options of the verb helpers. */
export type TestRequestOptions = Omit<TestRequest, 'method' | 'path'>;

/**
 * Sends requests to an app through its real connection code over an in-memory duplex: the
 * same parser, router, handlers and serializer as a socket, without a port.
 * @see docs/testing.md
 */
export class TestClient {
  readonly app: App;

  private constructor(app: App) {
    this.app = app;
  }

  /** Builds an app from controllers and providers, with defaults for config (no file is read). */
  static async create(options: AppOptions): Promise<TestClient> {
    return new TestClient(createApp({ config: {}, ...options }));
  }

  /** A client for an app that already exists. */
  static fromApp(app: App): TestClient {
    return new TestClient(app);
  }

  get(path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.request({ ...options, method: 'GET', path });
  }

  post(path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.request({ ...options, method: 'POST', path });
  }

  /** Sends one request on a fresh in-memory connection and reads the answer. */
  async request(request: TestRequest): Promise<TestResponse> {
    const method = request.method ?? 'GET';
    const host = request.host ?? 'localhost';
    let head = `${method} ${request.path} HTTP/1.1\r\nHost: ${host}\r\n`;
    for (const [name, value] of Object.entries(request.headers ?? {})) head += `${name}: ${value}\r\n`;
    const body = request.body === undefined ? null : Buffer.from(request.body);
    if (body !== null) head += `Content-Length: ${body.length}\r\n`;
    head += 'Connection: close\r\n\r\n';
    const bytes =
      body === null ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), body]);
    const endpoint: Endpoint = {
      ip: request.ip ?? '127.0.0.1',
      port: request.port ?? 5000,
      domain: '',
      isTls: false,
    };
    const [raw] = await this.#exchange(bytes, endpoint, [method === 'HEAD']);
    return new TestResponse(raw as RawResponse);
  }

  /**
   * Writes raw bytes on one in-memory connection and reads `responses` answers (for protocol
   * tests: pipelining, malformed input). Set `isHead` when the requests are HEAD, since a
   * response to HEAD carries Content-Length without a body.
   */
  async raw(bytes: string | Uint8Array, options: RawOptions = {}): Promise<TestResponse[]> {
    const endpoint: Endpoint = { ip: '127.0.0.1', port: 5000, domain: '', isTls: false };
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    const raws = await this.#exchange(
      data,
      endpoint,
      new Array<boolean>(options.responses ?? 1).fill(options.isHead ?? false),
    );
    return raws.map((r) => new TestResponse(r));
  }

  async #exchange(bytes: Uint8Array, endpoint: Endpoint, isHead: readonly boolean[]): Promise<RawResponse[]> {
    const pair = new DuplexPair();
    const reader = new ByteReader(pair.client);
    this.app.server.serve(pair.server, endpoint, '127.0.0.1');
    pair.client.write(bytes);
    const responses: RawResponse[] = [];
    try {
      for (const head of isHead) responses.push(await readResponse(reader, head));
    } finally {
      pair.client.destroy();
    }
    return responses;
  }
}
