import type { Endpoint } from '@bbws/router';
import { domainOfHost, type HttpRequest } from '@bbws/transport';
import {
  type ForwardedHop,
  hostOf,
  parseForwarded,
  parseXForwardedFor,
  protoOf,
  singleValue,
} from './forwarded-headers.js';
import { TrustedAddresses } from './trusted-addresses.js';

/** The `trust_proxy` setting: off, a hop count, or trusted addresses. */
export type TrustProxySetting = false | number | readonly string[];
/** Which header family `trust_proxy` reads (`trust_proxy_header`). */
export type TrustProxyHeader = 'x-forwarded' | 'forwarded';

/**
 * A request whose client a trusted proxy named: the transport's request with the client's
 * address, port and host applied (`endpoint.domain` included, so selectors bound to a domain
 * match the host the client asked for) and the protocol the client used.
 */
export interface ForwardedRequest extends HttpRequest {
  /** `http` or `https` as the client used it, by `X-Forwarded-Proto` or Forwarded `proto=`. */
  readonly protocol?: 'http' | 'https';
  /** The Host the client sent to the proxy, by `X-Forwarded-Host` or Forwarded `host=`. */
  readonly forwardedHost?: string;
}

/**
 * `trust_proxy` compiled at start. {@link ProxyTrust.apply} is the pipeline's first stage only
 * when the setting is on, so an app without it pays nothing per request.
 *
 * Rules (docs/proxies.md#trust_proxy): the headers count only when the socket's peer is
 * trusted (in the list; any peer in hop mode). Several lines of a header are one list. With a
 * list, the hops are walked right to left, skipping trusted addresses: the first one not
 * trusted is the client (or the leftmost, if all are trusted). With a hop count N, the client
 * is the Nth hop from the right; fewer hops than N means the request did not pass through
 * the proxies, and nothing is applied. Only the configured header family is read. A header
 * that breaks its grammar, or is readable two ways, is not used at all: the request keeps
 * the socket's address.
 */
export class ProxyTrust {
  readonly #trusted: TrustedAddresses | null;
  readonly #hops: number;
  readonly #isForwarded: boolean;

  constructor(setting: number | readonly string[], header: TrustProxyHeader) {
    this.#trusted = typeof setting === 'number' ? null : new TrustedAddresses(setting);
    this.#hops = typeof setting === 'number' ? setting : 0;
    this.#isForwarded = header === 'forwarded';
  }

  /** A compiled setting, or `null` when it is off (`false`, `0` or an empty list). */
  static from(setting: TrustProxySetting, header: TrustProxyHeader): ProxyTrust | null {
    if (setting === false || setting === 0) return null;
    if (Array.isArray(setting) && setting.length === 0) return null;
    return new ProxyTrust(setting as number | readonly string[], header);
  }

  /** Whether the socket's peer may speak for the client. */
  isTrustedPeer(address: string): boolean {
    return this.#trusted === null || this.#trusted.has(address);
  }

  /** Hot when on: the request as the client made it, or `request` itself when nothing applies. */
  apply(request: HttpRequest): HttpRequest {
    if (!this.isTrustedPeer(request.remoteAddress)) return request;
    return this.#isForwarded ? this.#fromForwarded(request) : this.#fromXForwarded(request);
  }

  #fromForwarded(request: HttpRequest): HttpRequest {
    const lines = headerLines(request.headers, 'forwarded');
    if (lines === null) return request;
    const hops = parseForwarded(lines);
    if (hops === null) return request;
    const hop = this.#client(hops);
    if (hop === null || hop.address === null) return request;
    return forwarded(request, hop.address, hop.port, hop.proto, hop.host);
  }

  #fromXForwarded(request: HttpRequest): HttpRequest {
    const headers = request.headers;
    const forLines = headerLines(headers, 'x-forwarded-for');
    if (forLines === null) return request;
    const hops = parseXForwardedFor(forLines);
    if (hops === null) return request;
    const hop = this.#client(hops);
    if (hop === null || hop.address === null) return request;
    let proto: 'http' | 'https' | null = null;
    const protoLines = headerLines(headers, 'x-forwarded-proto');
    if (protoLines !== null) {
      const value = singleValue(protoLines);
      proto = value === null ? null : protoOf(value);
      if (proto === null) return request;
    }
    let host: string | null = null;
    const hostLines = headerLines(headers, 'x-forwarded-host');
    if (hostLines !== null) {
      const value = singleValue(hostLines);
      host = value === null ? null : hostOf(value);
      if (host === null) return request;
    }
    return forwarded(request, hop.address, 0, proto, host);
  }

  /** The hop that is the client, by the list or the hop count; `null` when none qualifies. */
  #client(hops: readonly ForwardedHop[]): ForwardedHop | null {
    if (hops.length === 0) return null;
    const trusted = this.#trusted;
    if (trusted === null)
      return hops.length < this.#hops ? null : (hops[hops.length - this.#hops] as ForwardedHop);
    let at = hops.length - 1;
    for (; at > 0; at--) {
      const address = (hops[at] as ForwardedHop).address;
      if (address === null || !trusted.has(address)) break;
    }
    return hops[at] as ForwardedHop;
  }
}

/** Every value of header `name` (lower-case), in order; `null` when absent. */
function headerLines(headers: readonly string[], name: string): string[] | null {
  let lines: string[] | null = null;
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] !== name) continue;
    if (lines === null) lines = [];
    lines.push(headers[i + 1] as string);
  }
  return lines;
}

/**
 * A copy of the transport's request with the client's view applied. Every field is copied by
 * name (a test checks none is missed), so a request's shape stays the same for every request.
 */
function forwarded(
  request: HttpRequest,
  address: string,
  port: number,
  proto: 'http' | 'https' | null,
  host: string | null,
): ForwardedRequest {
  const base = request.endpoint;
  const endpoint: Endpoint =
    host === null
      ? base
      : Object.freeze({ ip: base.ip, port: base.port, domain: domainOfHost(host), isTls: base.isTls });
  return {
    method: request.method,
    target: request.target,
    path: request.path,
    query: request.query,
    versionMinor: request.versionMinor,
    headers: request.headers,
    body: request.body,
    bodyStream: request.bodyStream,
    endpoint,
    remoteAddress: normalizeIp(address),
    remotePort: port,
    streamLimits: request.streamLimits,
    protocol: proto ?? (base.isTls ? 'https' : 'http'),
    forwardedHost: host ?? undefined,
  };
}

/** `::ffff:10.0.0.1` → `10.0.0.1`, as the transport reports a dual-stack socket's IPv4 peer. */
function normalizeIp(ip: string): string {
  return ip.length > 7 && ip.slice(0, 7).toLowerCase() === '::ffff:' && ip.includes('.') ? ip.slice(7) : ip;
}
