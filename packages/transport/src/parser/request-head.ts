/** A validated request head, as the parser hands it to the connection. */
export interface RequestHead {
  /** Method token as sent (case-sensitive, RFC 9110 §9.1). */
  readonly method: string;
  /** The raw request-target. */
  readonly target: string;
  /** Path part of the target, still percent-encoded (`*` for `OPTIONS *`). */
  readonly path: string;
  /** Query part without `?`; `''` when absent. */
  readonly query: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly versionMinor: 0 | 1;
  /** Header fields as a flat list: lower-case name, value, name, value, ... */
  readonly headers: string[];
  /**
   * The authority the request names: the absolute-form target's authority when there is one
   * (RFC 9112 §3.2.2 says it wins over Host), else the Host value; `null` when neither exists.
   */
  readonly authority: string | null;
  /** Declared Content-Length, or -1. */
  readonly contentLength: number;
  /** Whether the body uses chunked transfer coding. */
  readonly isChunked: boolean;
  /** Whether the client allows the connection to stay open after this request. */
  readonly wantsKeepAlive: boolean;
  /** Whether the client sent `Expect: 100-continue`. */
  readonly expectsContinue: boolean;
}
