/** A validated request head, as the parser hands it to the connection. */
export interface RequestHead {
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
