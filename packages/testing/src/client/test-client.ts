import { isIPv4, isIPv6 } from 'node:net';
import { type App, type AppOptions, createApp } from '@bbws/core';
import type { Endpoint } from '@bbws/transport';
import type { InjectionToken } from 'tsyringe';
import { CookieJar, type CookieScope } from '../cookies/cookie-jar.js';
import { TestingError } from '../errors.js';
import { isHttpToken } from '../internal/http-token.js';
import {
  checkField,
  encodeBody,
  encodeMessage,
  hasField,
  headerPairs,
  rangeValue,
  requestTarget,
} from '../request/encode-request.js';
import type {
  EndpointOptions,
  HeadersInit,
  TestRequest,
  TestRequestOptions,
} from '../request/test-request.js';
import { readEvents, type SseMessage, type SseOptions } from '../response/event-stream.js';
import type { ResponseHeadView } from '../response/response-head-view.js';
import type { TestResponse } from '../response/test-response.js';
import type { TestStreamResponse } from '../response/test-stream-response.js';
import { type ServeTarget, TestConnection } from './test-connection.js';

/** Options of a {@link TestClient}: request defaults and connection behaviour. */
export interface TestClientOptions extends EndpointOptions {
  /**
   * Reuse one in-memory connection for sequential requests (keep-alive), as a browser would.
   * Default `false`: every request gets a fresh connection and says `Connection: close`.
   */
  readonly keepAlive?: boolean;
  /** Keep cookies across requests (default `true`, a new jar), or share a jar between clients. */
  readonly cookieJar?: boolean | CookieJar;
  /** Headers sent with every request (a request's own headers come after them). */
  readonly headers?: HeadersInit;
}

/** Options of {@link TestClient.create}: the app's (no config file is read) and the client's. */
export type TestClientCreateOptions = AppOptions & TestClientOptions;

/** Options of {@link TestClient.raw}. */
export interface RawOptions extends EndpointOptions {
  /** How many responses to read (default 1). */
  readonly responses?: number;
  /** Whether the requests are HEAD requests (one flag for all, or one per response). */
  readonly isHead?: boolean | readonly boolean[];
}

/** Options of {@link TestClient.stream} and {@link TestClient.sse}. */
export interface StreamRequestOptions extends TestRequestOptions {
  /** Method token (default `GET`). */
  readonly method?: string;
}

// Methods whose requests carry a body: undici and browsers send `Content-Length: 0` when empty.
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

interface Route {
  readonly endpoint: Endpoint;
  readonly remoteAddress: string;
  readonly host: string;
  readonly key: string;
  /** The PROXY v1 line every connection starts with on a `proxy_protocol` listener; else null. */
  readonly proxyHeader: string | null;
}

/**
 * Sends requests to an app through its real connection code over an in-memory duplex: the
 * same parser, router, handlers, limits and serializer as a socket, without a port.
 * @example
 * ```ts
 * const client = await TestClient.create({
 *   controllers: [HelloController],
 *   providers: [override(Greeter).useValue({ greet: () => 'hi' })],
 * });
 * const res = await client.get('/api/hello');
 * expect(res.status).toBe(200);
 * expect(res.text()).toBe('hi');
 * ```
 * @see docs/testing.md
 */
export class TestClient {
  /** The cookies kept across requests (empty and unused when the jar is off). */
  readonly cookies: CookieJar;
  readonly #target: ServeTarget;
  readonly #app: App | null;
  readonly #options: TestClientOptions;
  readonly #defaultFields: ReadonlyArray<readonly [string, string]>;
  readonly #isJarOn: boolean;
  readonly #idle = new Map<string, TestConnection[]>();
  readonly #routes = new Map<string, Route>();
  #defaultRoute: Route | null = null;

  private constructor(target: ServeTarget, app: App | null, options: TestClientOptions) {
    this.#target = target;
    this.#app = app;
    this.#options = options;
    this.#defaultFields = headerPairs(options.headers);
    const jar = options.cookieJar ?? true;
    this.cookies = jar instanceof CookieJar ? jar : new CookieJar();
    this.#isJarOn = jar !== false;
  }

  /**
   * Builds an app from controllers and providers and a client for it. `config` defaults to
   * `{}` (every default, no file read); `providers` replace services for this app only.
   */
  static async create(options: TestClientCreateOptions): Promise<TestClient> {
    const app = createApp({
      controllers: options.controllers,
      providers: options.providers,
      config: options.config ?? {},
      container: options.container,
      logger: options.logger,
      env: options.env,
    });
    return new TestClient(app.server, app, options);
  }

  /** A client for an app that already exists (requests go through `app.server`). */
  static fromApp(app: App, options: TestClientOptions = {}): TestClient {
    return new TestClient(app.server, app, options);
  }

  /**
   * A client for a bare server (an `HttpServer` from `@bbws/transport`, or anything with its
   * `serve()`): for transport tests without controllers.
   */
  static fromServer(server: ServeTarget, options: TestClientOptions = {}): TestClient {
    return new TestClient(server, null, options);
  }

  /**
   * The app under test.
   * @throws TestingError `BBWS_ERR_TESTING_NO_APP` for a client made by {@link TestClient.fromServer}
   */
  get app(): App {
    if (this.#app === null) {
      throw new TestingError('BBWS_ERR_TESTING_NO_APP', 'this TestClient was made from a server, not an app');
    }
    return this.#app;
  }

  /**
   * The controller instance that handles this client's requests, to spy on or inspect:
   * `vi.spyOn(client.controller(HelloController)['greeter'], 'greet')`.
   */
  controller<T extends object>(controller: abstract new (...args: never[]) => T): T {
    return this.app.getController(controller);
  }

  /** Resolves `token` from the app's container: the same instance its controllers got, for singletons and overrides. */
  resolve<T>(token: InjectionToken<T>): T {
    return this.app.container.resolve(token);
  }

  /** How many kept-alive connections are open and idle (always 0 without `keepAlive`). */
  get idleConnections(): number {
    let n = 0;
    for (const list of this.#idle.values()) n += list.filter((c) => !c.isClosed).length;
    return n;
  }

  /** `GET path`. */
  get(path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.request({ ...options, method: 'GET', path });
  }

  /** `POST path`. */
  post(path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.request({ ...options, method: 'POST', path });
  }

  /** `PUT path`. */
  put(path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.request({ ...options, method: 'PUT', path });
  }

  /** `PATCH path`. */
  patch(path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.request({ ...options, method: 'PATCH', path });
  }

  /** `DELETE path`. */
  delete(path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.request({ ...options, method: 'DELETE', path });
  }

  /** `OPTIONS path` (`*` for the server as a whole). */
  options(path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.request({ ...options, method: 'OPTIONS', path });
  }

  /** `HEAD path`: the response has the GET headers and no body. */
  head(path: string, options: TestRequestOptions = {}): Promise<TestResponse> {
    return this.request({ ...options, method: 'HEAD', path });
  }

  /**
   * Sends one request and reads the complete response (interim 1xx answers are skipped).
   * @throws TestingError for a request it cannot write (`BBWS_ERR_TESTING_REQUEST_*`) or a
   * response it cannot read (`BBWS_ERR_TESTING_RESPONSE_MALFORMED`, `..._CONNECTION_CLOSED`)
   */
  async request(request: TestRequest): Promise<TestResponse> {
    const method = request.method ?? 'GET';
    const isHead = method === 'HEAD';
    const keepAlive = this.#options.keepAlive === true;
    const route = this.#route(request);
    const bytes = await this.#encode(method, request, route, keepAlive);
    let connection = keepAlive ? this.#takeIdle(route) : null;
    const isReused = connection !== null;
    connection ??= new TestConnection(this.#target, route.endpoint, route.remoteAddress, route.proxyHeader);
    const receivedBefore = connection.receivedBytes;
    let response: TestResponse;
    try {
      response = await this.#exchange(connection, bytes, isHead);
    } catch (error) {
      connection.destroy();
      // A kept-alive connection the server closed while idle, before answering a byte: send
      // again on a fresh one, as HTTP clients do.
      const isUnanswered = connection.receivedBytes === receivedBefore;
      if (!isReused || !isUnanswered || !isClosedError(error)) throw error;
      connection = new TestConnection(this.#target, route.endpoint, route.remoteAddress, route.proxyHeader);
      response = await this.#exchange(connection, bytes, isHead);
    }
    this.#storeCookies(response, route, request.path);
    if (keepAlive && !connection.isClosed && !saysClose(response)) this.#putIdle(route, connection);
    else connection.destroy();
    return response;
  }

  /**
   * Sends one request and resolves once the response head arrived; the body is read as it
   * comes, by iterating the result (`for await (const chunk of res)`). Leaving the loop
   * disconnects. Always on a connection of its own.
   */
  async stream(path: string, options: StreamRequestOptions = {}): Promise<TestStreamResponse> {
    const method = options.method ?? 'GET';
    const request: TestRequest = { ...options, method, path };
    const route = this.#route(request);
    const bytes = await this.#encode(method, request, route, false);
    const connection = new TestConnection(
      this.#target,
      route.endpoint,
      route.remoteAddress,
      route.proxyHeader,
    );
    connection.write(bytes);
    try {
      let response = await connection.readStream(method === 'HEAD');
      while (isInterim(response.status)) response = await connection.readStream(method === 'HEAD');
      this.#storeCookies(response, route, path);
      return response;
    } catch (error) {
      connection.destroy();
      throw error;
    }
  }

  /**
   * Requests an event stream (`Accept: text/event-stream`) and yields its events, parsed by
   * `eventsource-parser`, as they arrive. Leaving the loop disconnects.
   * @throws TestingError `BBWS_ERR_TESTING_NOT_EVENT_STREAM` when the answer is not a 200 event stream
   */
  async *sse(path: string, options: StreamRequestOptions & SseOptions = {}): AsyncGenerator<SseMessage> {
    const fields = headerPairs(options.headers);
    if (!hasField(fields, 'accept')) fields.push(['Accept', 'text/event-stream']);
    const response = await this.stream(path, { ...options, headers: fields });
    yield* readEvents(response, options);
  }

  /**
   * Writes raw bytes on one fresh connection and reads `responses` answers, for protocol tests
   * (pipelining, malformed input). Set `isHead` for HEAD requests, whose answers carry
   * Content-Length without a body. For byte-by-byte control over time use {@link TestClient.connect}.
   */
  async raw(bytes: string | Uint8Array, options: RawOptions = {}): Promise<TestResponse[]> {
    const connection = this.connect(options);
    const count = options.responses ?? 1;
    const responses: TestResponse[] = [];
    try {
      connection.write(bytes);
      for (let i = 0; i < count; i++) {
        const isHead = Array.isArray(options.isHead) ? options.isHead[i] === true : options.isHead === true;
        responses.push(await connection.read(isHead));
      }
    } finally {
      connection.destroy();
    }
    return responses;
  }

  /** Opens an in-memory connection to write bytes and read responses yourself. */
  connect(options: EndpointOptions = {}): TestConnection {
    const route = this.#route(options);
    return new TestConnection(this.#target, route.endpoint, route.remoteAddress, route.proxyHeader);
  }

  /** Closes the kept-alive connections. */
  close(): void {
    for (const list of this.#idle.values()) for (const c of list) c.destroy();
    this.#idle.clear();
  }

  async #exchange(connection: TestConnection, bytes: Buffer, isHead: boolean): Promise<TestResponse> {
    connection.write(bytes);
    let response = await connection.read(isHead);
    while (isInterim(response.status)) response = await connection.read(isHead);
    return response;
  }

  async #encode(method: string, request: TestRequest, route: Route, keepAlive: boolean): Promise<Buffer> {
    if (!isHttpToken(method)) {
      throw new TestingError(
        'BBWS_ERR_TESTING_REQUEST_METHOD',
        `method ${JSON.stringify(method)} is not a token`,
      );
    }
    const target = requestTarget(request.path, request.query);
    const encoded = encodeBody(request);
    const { body, contentType } = encoded instanceof Promise ? await encoded : encoded;
    const own = headerPairs(request.headers);
    const defaults = this.#defaultFields;
    const given = (name: string) => hasField(own, name) || hasField(defaults, name);
    const fields: Array<readonly [string, string]> = [];
    if (!given('host')) fields.push(['Host', route.host]);
    for (const field of defaults) if (!hasField(own, field[0].toLowerCase())) fields.push(field);
    for (const field of own) fields.push(field);
    const cookie = this.#cookieHeader(request, route, target);
    if (cookie !== '') fields.push(['Cookie', cookie]);
    if (request.range !== undefined && !given('range')) fields.push(['Range', rangeValue(request.range)]);
    if (contentType !== null && !given('content-type')) fields.push(['Content-Type', contentType]);
    if (!given('content-length') && !given('transfer-encoding')) {
      if (body !== null) fields.push(['Content-Length', String(body.length)]);
      else if (BODY_METHODS.has(method)) fields.push(['Content-Length', '0']);
    }
    if (!keepAlive && !given('connection')) fields.push(['Connection', 'close']);
    return encodeMessage(method, target, fields, body);
  }

  #cookieHeader(request: TestRequest, route: Route, target: string): string {
    const jar = this.#isJarOn ? this.cookies.headerFor(this.#scope(route, target)) : '';
    const extra = request.cookies;
    if (extra === undefined) return jar;
    let line = jar;
    for (const [name, value] of Object.entries(extra)) {
      checkField(name, value);
      line += `${line === '' ? '' : '; '}${name}=${encodeURIComponent(value)}`;
    }
    return line;
  }

  #storeCookies(response: ResponseHeadView, route: Route, path: string): void {
    if (!this.#isJarOn) return;
    const values = response.headerValues('set-cookie');
    if (values.length === 0) return;
    const scope = this.#scope(route, path);
    for (const value of values) this.cookies.store(value, scope);
  }

  #scope(route: Route, target: string): CookieScope {
    const queryAt = target.indexOf('?');
    return {
      host: hostName(route.host),
      path: queryAt === -1 ? target : target.slice(0, queryAt),
      isSecure: route.endpoint.isTls,
    };
  }

  /** The endpoint, client address and Host of a request; cached per distinct combination. */
  #route(options: EndpointOptions): Route {
    const isDefault =
      options.ip === undefined &&
      options.port === undefined &&
      options.tls === undefined &&
      options.remoteAddress === undefined &&
      options.host === undefined;
    if (isDefault && this.#defaultRoute !== null) return this.#defaultRoute;
    const route = this.#buildRoute(options);
    if (isDefault) this.#defaultRoute = route;
    return route;
  }

  /**
   * The request arrives on the listener a socket to its address would be accepted by: the
   * one on its port (default: the first listener), by ip when several share the port. That
   * listener's ip, port and TLS flag fill what the request does not say.
   * @throws TransportError `BBWS_ERR_TRANSPORT_NO_LISTENER` for a port no listener has, or a
   * `tls` that is not the listener's
   */
  #buildRoute(options: EndpointOptions): Route {
    const o = this.#options;
    const givenIp = options.ip ?? o.ip;
    const givenPort = options.port ?? o.port;
    const tls = options.tls ?? o.tls;
    const ipAsked = givenIp === undefined ? undefined : unbracket(givenIp);
    const listener =
      this.#target.listenerFor?.(ipAsked, givenPort, tls === undefined ? undefined : tls !== false) ?? null;
    // Without listeners (a bare server made for a transport test) every endpoint is served.
    const ip = ipAsked ?? listener?.ip ?? '127.0.0.1';
    const port = givenPort ?? listener?.port ?? 5000;
    const isTls = tls === undefined ? (listener?.isTls ?? false) : tls !== false;
    const domain = typeof tls === 'object' ? tls.servername.toLowerCase() : '';
    const remoteAddress = options.remoteAddress ?? o.remoteAddress ?? '127.0.0.1';
    const host = options.host ?? o.host ?? 'localhost';
    const key = `${ip}|${port}|${domain}|${isTls}|${remoteAddress}|${host}`;
    let route = this.#routes.get(key);
    if (route === undefined) {
      const proxyHeader = listener?.proxyProtocol === true ? proxyLine(remoteAddress, ip, port) : null;
      route = { endpoint: Object.freeze({ ip, port, domain, isTls }), remoteAddress, host, key, proxyHeader };
      this.#routes.set(key, route);
    }
    return route;
  }

  #takeIdle(route: Route): TestConnection | null {
    const list = this.#idle.get(route.key);
    if (list === undefined) return null;
    for (let c = list.pop(); c !== undefined; c = list.pop()) if (!c.isClosed) return c;
    return null;
  }

  #putIdle(route: Route, connection: TestConnection): void {
    let list = this.#idle.get(route.key);
    if (list === undefined) {
      list = [];
      this.#idle.set(route.key, list);
    }
    list.push(connection);
  }
}

function unbracket(ip: string): string {
  return ip.charCodeAt(0) === 91 /* [ */ ? ip.slice(1, -1) : ip;
}

/** `example.com:8080` → `example.com`; `[::1]:80` → `::1`. */
function hostName(host: string): string {
  if (host.charCodeAt(0) === 91 /* [ */) return host.slice(1, host.indexOf(']'));
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** 1xx answers other than 101 precede the final response (RFC 9110 §15.2). */
function isInterim(status: number): boolean {
  return status >= 100 && status < 200 && status !== 101;
}

function saysClose(response: ResponseHeadView): boolean {
  return /(?:^|,)\s*close\s*(?:,|$)/i.test(response.headers['connection'] ?? '');
}

function isClosedError(error: unknown): boolean {
  return error instanceof TestingError && error.code === 'BBWS_ERR_TESTING_CONNECTION_CLOSED';
}

/**
 * The PROXY protocol v1 line a proxy would send for a client at `remoteAddress` (port 0, as
 * in-memory connections have no port); `PROXY UNKNOWN` for an address that is not an IP, so
 * the server keeps the connection's own.
 */
function proxyLine(remoteAddress: string, ip: string, port: number): string {
  if (isIPv4(remoteAddress))
    return `PROXY TCP4 ${remoteAddress} ${isIPv4(ip) ? ip : '127.0.0.1'} 0 ${port}\r\n`;
  if (isIPv6(remoteAddress)) return `PROXY TCP6 ${remoteAddress} ${isIPv6(ip) ? ip : '::1'} 0 ${port}\r\n`;
  return 'PROXY UNKNOWN\r\n';
}
