import type { Endpoint } from '@bbws/router';
import type { RequestBodyStream } from './request-body-stream.js';

/**
 * Limits for streamed response bodies, per listener (config: `stream_max_chunk_size`,
 * `stream_max_total_bytes`, `stream_max_duration`, `stream_idle_timeout`, global or per server).
 * One frozen object per listener; requests share it.
 */
export interface StreamLimits {
  /** Larger chunks are split, not rejected. */
  readonly maxChunkBytes: number;
  readonly maxTotalBytes: number;
  readonly maxDurationMs: number;
  readonly idleTimeoutMs: number;
}

/** One parsed request, as the transport hands it to the application. */
export interface HttpRequest {
  /** Method token as sent (case-sensitive, RFC 9110 §9.1). */
  readonly method: string;
  /**
   * The request-target exactly as sent, a `#fragment` included. Routing uses {@link path} and
   * {@link query}, which never hold the fragment (RFC 9110 §7.1).
   */
  readonly target: string;
  /** Path part of the target, still percent-encoded, without query and fragment (`*` for asterisk-form). */
  readonly path: string;
  /** Query part without `?` and without the fragment; `''` when absent. */
  readonly query: string;
  /** 0 for HTTP/1.0; 1 for HTTP/1.1 and a higher 1.x (served as 1.1, RFC 9110 §6.2). */
  readonly versionMinor: 0 | 1;
  /** Header fields as a flat list: lower-case name, value, name, value, ... */
  readonly headers: readonly string[];
  /** The request body; `null` when the request has none, or when it streams (`bodyStream`). */
  readonly body: Buffer | null;
  /**
   * The body as it arrives, for routes that stream their body (an upload route): read it
   * and the client sends more; stop and the client waits. `null` (or absent) otherwise.
   * @see docs/architecture.md
   */
  readonly bodyStream?: RequestBodyStream | null;
  /** Where the request arrived. */
  readonly endpoint: Endpoint;
  /**
   * Peer address: the socket's, or the client's from a PROXY protocol header. The app's
   * `trust_proxy` may replace it with a forwarded address (docs/proxies.md).
   */
  readonly remoteAddress: string;
  /** Peer port, as {@link remoteAddress}; 0 or absent when unknown (in memory, adapters). */
  readonly remotePort?: number;
  /** Stream limits of the listener the request came in on. */
  readonly streamLimits: StreamLimits;
}

/**
 * Where a handler writes its answer. One per connection, reused for every request on it;
 * exactly one `send` per request.
 */
export interface ResponseSink {
  /**
   * Writes a complete response.
   * @param status the status code
   * @param headerLines extra header lines, each `Name: value\r\n` (the caller validated them)
   * @param body the body; its length becomes Content-Length
   */
  send(status: number, headerLines: string, body: Uint8Array | string | null): void;

  /**
   * Writes a response whose body is produced over time, with chunked transfer coding (HTTP/1.1;
   * an HTTP/1.0 client gets a close-delimited body). Every chunk is written as it arrives; the
   * next one is pulled only after the socket drained (backpressure). When the client goes away,
   * `return()` is called on the iterator so a generator's `finally` runs. For HEAD only the head
   * is written. An error thrown by the source aborts the connection (the status is already out).
   * @returns a promise that settles when the body is written or abandoned
   */
  stream(status: number, headerLines: string, chunks: AsyncIterable<Uint8Array | string>): Promise<void>;

  /**
   * Like {@link ResponseSink.stream} for a body of known `length` (a file range): written with
   * Content-Length, no chunk framing. A source that yields more or fewer bytes than `length`
   * aborts the connection.
   */
  streamFixed(
    status: number,
    headerLines: string,
    length: number,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<void>;
}

/**
 * Asked for each request head with a body, when a handler has one: the most bytes the body
 * may have when it streams to the handler (`HttpRequest.bodyStream`), or -1 to buffer it up
 * to max_body_size as usual. `endpoint` carries the request's domain.
 */
export type BodyStreamPolicy = (method: string, path: string, endpoint: Endpoint) => number;

/**
 * What the transport calls for every request. `bodyStreamLimit`, when set, names the
 * requests whose bodies stream instead of being buffered (see {@link BodyStreamPolicy}).
 */
export interface RequestHandler {
  (request: HttpRequest, sink: ResponseSink): void;
  bodyStreamLimit?: BodyStreamPolicy | null;
}
