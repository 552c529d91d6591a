import type { Endpoint } from '@bbws/router';
import type { HttpRequest } from '@bbws/transport';
import { parseCookieHeader } from '../internal/cookie.js';
import type { ForwardedRequest } from '../proxy/proxy-trust.js';
import { requestHeader } from '../results/request-headers.js';
import { queryToObject } from './query.js';
import { ResponseHead } from './response-head.js';

/**
 * What `@Ctx()` hands a handler, guard, hook or error page: the request, parsed lazily, and
 * the response head. Created only for routes that ask for it.
 * @see docs/controllers.md
 */
export class RequestContext {
  /** The transport's request. */
  readonly request: HttpRequest;
  /** Converted URL template values. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Headers and cookies to add to the response, and its status. */
  readonly response = new ResponseHead();
  /** The error being answered (error pages only). */
  error: unknown = undefined;
  /** The status being answered (error pages only; 0 otherwise). */
  status = 0;
  #query: Record<string, string | string[]> | null = null;
  #cookies: Record<string, string | undefined> | null = null;

  constructor(request: HttpRequest, params: Readonly<Record<string, unknown>>) {
    this.request = request;
    this.params = params;
  }

  get method(): string {
    return this.request.method;
  }

  /**
   * The path of the request-target as sent: percent-encoded, without the query, without scheme
   * and authority for an absolute-form target, `*` for `OPTIONS *`. Route parameters
   * (`params`) are the decoded values. @see docs/controllers.md#requestcontext
   */
  get path(): string {
    return this.request.path;
  }

  /** The query as an object; repeated keys become arrays. */
  get query(): Readonly<Record<string, string | string[]>> {
    if (this.#query === null) this.#query = queryToObject(this.request.query);
    return this.#query;
  }

  /** Header fields: lower-case name, value, name, value, ... */
  get headers(): readonly string[] {
    return this.request.headers;
  }

  /** The first value of a header (case-insensitive name). */
  header(name: string): string | undefined {
    return requestHeader(this.request, name.toLowerCase());
  }

  /** Cookies of the request. */
  get cookies(): Readonly<Record<string, string | undefined>> {
    if (this.#cookies === null) this.#cookies = parseCookieHeader(this.header('cookie') ?? '');
    return this.#cookies;
  }

  /** The raw body bytes, `null` when none. */
  get body(): Buffer | null {
    return this.request.body;
  }

  /** Where the request arrived (ip, port, domain, TLS). */
  get endpoint(): Endpoint {
    return this.request.endpoint;
  }

  /**
   * The client's address: the socket's peer, the client named by a PROXY protocol header, or
   * (with `trust_proxy`) the client a trusted proxy forwarded for. @see docs/proxies.md
   */
  get remoteAddress(): string {
    return this.request.remoteAddress;
  }

  /** The client's port, as {@link remoteAddress}; 0 when unknown (X-Forwarded-For names no port). */
  get remotePort(): number {
    return this.request.remotePort ?? 0;
  }

  /** `https` or `http` as the client used it: a trusted proxy's word, else the connection's TLS. */
  get protocol(): 'http' | 'https' {
    return (this.request as ForwardedRequest).protocol ?? (this.request.endpoint.isTls ? 'https' : 'http');
  }

  /**
   * The host the client asked for, with port if it gave one: a trusted proxy's forwarded host,
   * else the Host header (`''` when none). `endpoint.domain` is its lower-case name.
   */
  get host(): string {
    return (this.request as ForwardedRequest).forwardedHost ?? this.header('host') ?? '';
  }
}
