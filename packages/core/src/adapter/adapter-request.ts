import type { Endpoint } from '@bbws/router';
import { type HttpRequest, type StreamLimits, domainOfHost as transportDomainOfHost } from '@bbws/transport';

/** What an adapter knows about a request it received from a host server. */
export interface AdapterRequestInit {
  readonly method: string;
  /** Origin-form target: path and query, and a fragment when the host server passes one on. */
  readonly target: string;
  readonly httpVersion: string;
  readonly headers: string[];
  readonly body: Buffer | null;
  readonly endpoint: Endpoint;
  readonly remoteAddress: string;
  readonly streamLimits: StreamLimits;
}

/**
 * Builds the request object the router and handlers see, the same shape the transport produces:
 * `target` as received, `path` and `query` without a fragment (node:http passes `/a#b` on in
 * `url`; it is not part of the target URI, RFC 9110 §7.1).
 */
export function adapterRequest(init: AdapterRequestInit): HttpRequest {
  const fragmentAt = init.target.indexOf('#');
  const uri = fragmentAt === -1 ? init.target : init.target.slice(0, fragmentAt);
  const queryAt = uri.indexOf('?');
  return {
    method: init.method,
    target: init.target,
    path: queryAt === -1 ? uri : uri.slice(0, queryAt),
    query: queryAt === -1 ? '' : uri.slice(queryAt + 1),
    versionMinor: init.httpVersion === '1.0' ? 0 : 1,
    headers: init.headers,
    body: init.body,
    endpoint: init.endpoint,
    remoteAddress: init.remoteAddress,
    streamLimits: init.streamLimits,
  };
}

/** The domain of a Host header, by the transport's rule; `''` when there is none. */
export function domainOfHost(host: string | undefined): string {
  return host === undefined || host === '' ? '' : transportDomainOfHost(host);
}
