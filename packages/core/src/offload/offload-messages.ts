import type { MessagePort } from 'node:worker_threads';
import type { HttpRequest } from '@bbws/transport';
import type { ForwardedRequest } from '../proxy/proxy-trust.js';

/**
 * A request as it crosses to a worker: the transport's request as plain data (derived from
 * HttpRequest, so a field added there crosses too), the body as its own ArrayBuffer.
 */
export interface OffloadCall extends Omit<ForwardedRequest, 'body'> {
  /** Index of the route plan, the same in every thread (same controllers, same order). */
  readonly route: number;
  readonly body: ArrayBuffer | null;
  readonly params: Readonly<Record<string, unknown>>;
}

/** The answer as it crosses back: status, header lines as written, the body. */
export interface OffloadReply {
  readonly status: number;
  readonly headerLines: string;
  readonly body: string | ArrayBuffer | null;
  /** A streamed body: the port its chunks arrive on (see stream-channel.ts); null otherwise. */
  readonly stream: MessagePort | null;
  /** A streamed body's Content-Length (a file), or -1 for chunked coding. */
  readonly length: number;
}

/**
 * The call for `request`; the body is copied once into an ArrayBuffer of its own (a parsed body
 * may be a view into a larger buffer) which is then transferred, not cloned again.
 */
export function toCall(
  route: number,
  request: HttpRequest,
  params: Readonly<Record<string, unknown>>,
): { call: OffloadCall; transfer: ArrayBuffer[] } {
  const source = request.body;
  let body: ArrayBuffer | null = null;
  if (source !== null) {
    body = new ArrayBuffer(source.byteLength);
    new Uint8Array(body).set(source);
  }
  const call: OffloadCall = {
    route,
    method: request.method,
    target: request.target,
    path: request.path,
    query: request.query,
    versionMinor: request.versionMinor,
    headers: request.headers,
    body,
    endpoint: request.endpoint,
    remoteAddress: request.remoteAddress,
    remotePort: request.remotePort,
    streamLimits: request.streamLimits,
    protocol: (request as ForwardedRequest).protocol,
    forwardedHost: (request as ForwardedRequest).forwardedHost,
    params,
  };
  return { call, transfer: body === null ? [] : [body] };
}

/** The worker-side request rebuilt from a call. */
export function requestOf(call: OffloadCall): ForwardedRequest {
  return {
    method: call.method,
    target: call.target,
    path: call.path,
    query: call.query,
    versionMinor: call.versionMinor,
    headers: call.headers,
    body: call.body === null ? null : Buffer.from(call.body),
    endpoint: call.endpoint,
    remoteAddress: call.remoteAddress,
    remotePort: call.remotePort,
    streamLimits: call.streamLimits,
    protocol: call.protocol,
    forwardedHost: call.forwardedHost,
  };
}
