/** A scalar in a query string or a urlencoded form. */
export type QueryValue = string | number | boolean;

/** Query parameters: a string (`'a=1&b=2'`), URLSearchParams, or a record (arrays repeat the key). */
export type QueryInit =
  | string
  | URLSearchParams
  | Readonly<Record<string, QueryValue | readonly QueryValue[] | undefined>>;

/** Request headers: a record (arrays repeat the field) or name/value pairs in wire order. */
export type HeadersInit =
  | Readonly<Record<string, string | number | readonly string[] | undefined>>
  | ReadonlyArray<readonly [string, string]>;

/** A urlencoded form body: URLSearchParams or a record (arrays repeat the key). */
export type FormInit =
  | URLSearchParams
  | Readonly<Record<string, QueryValue | readonly QueryValue[] | undefined>>;

/** A file part of a multipart body. */
export interface MultipartFile {
  readonly content: string | Uint8Array | Blob;
  readonly filename: string;
  /** Default: the Blob's type, else `application/octet-stream`. */
  readonly contentType?: string;
}

/** One value of a multipart field: text, a Blob/File, or a {@link MultipartFile}. */
export type MultipartValue = QueryValue | Blob | MultipartFile;

/** A multipart/form-data body: a FormData, or a record (arrays repeat the field). */
export type MultipartInit =
  | FormData
  | Readonly<Record<string, MultipartValue | readonly MultipartValue[] | undefined>>;

/** One range of a `Range: bytes=...` request: `{ start, end? }` or the last `suffix` bytes. */
export type RangeSpec = { readonly start: number; readonly end?: number } | { readonly suffix: number };

/** TLS as the server would see it: a TLS connection, optionally with an SNI server name. */
export type TlsInit = boolean | { readonly servername: string };

/**
 * Where the request arrives. Selector routes bound to an IP, a port or a domain match on
 * these, exactly as they match on the listener a socket was accepted on.
 */
export interface EndpointOptions {
  /** Host header, and so the endpoint's domain unless TLS gives a server name (default `localhost`). */
  readonly host?: string;
  /**
   * Local IP the request arrives on (default: that of the listener it goes to, else
   * `127.0.0.1`); picks the listener when several share the port.
   */
  readonly ip?: string;
  /**
   * Local port: the request goes through the listener on this port, with its limits, TLS flag
   * and https-redirect (default: the app's first listener, else 5000). A port no listener has
   * is `BBWS_ERR_TRANSPORT_NO_LISTENER`.
   */
  readonly port?: number;
  /**
   * `{ servername }` sets the SNI domain. Whether the connection is TLS is the listener's
   * `SSL`; a `true` or `false` that disagrees with it is `BBWS_ERR_TRANSPORT_NO_LISTENER`.
   */
  readonly tls?: TlsInit;
  /** The client's address (default `127.0.0.1`). */
  readonly remoteAddress?: string;
}

/** Per-request options of the verb helpers (`get`, `post`, ...). At most one body option. */
export interface TestRequestOptions extends EndpointOptions {
  readonly headers?: HeadersInit;
  /** Appended to the path (after `&` when the path already has a query). */
  readonly query?: QueryInit;
  /** Raw body bytes or text (UTF-8). */
  readonly body?: string | Uint8Array;
  /** A JSON body; sets `Content-Type: application/json` unless a header says otherwise. */
  readonly json?: unknown;
  /** A urlencoded form body (`application/x-www-form-urlencoded`). */
  readonly form?: FormInit;
  /** A multipart/form-data body. */
  readonly multipart?: MultipartInit;
  /** Cookies for this request, on top of the jar's (values are URI-encoded). */
  readonly cookies?: Readonly<Record<string, string>>;
  /** A `Range` header: the raw value (`'bytes=0-99'`) or one or more ranges in bytes. */
  readonly range?: string | RangeSpec | readonly RangeSpec[];
}

/** One request for {@link TestClient.request}. */
export interface TestRequest extends TestRequestOptions {
  /** Method token (default `GET`). */
  readonly method?: string;
  /** Request target: a path with an optional query (`/items?page=2`). */
  readonly path: string;
}
