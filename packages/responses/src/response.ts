import type { SerializeOptions } from 'cookie';
import { ResponsesError } from './errors.js';
import { checkFinalStatus } from './final-status.js';
import { serializeCookie } from './internal/cookie.js';
import {
  contentTypeLineOf,
  type HeaderInit,
  hasHeader,
  headerBlockOf,
  headerLineOf,
  toPairs,
} from './internal/header-field.js';

export type { HeaderInit } from './internal/header-field.js';

/** A cookie to set: its value plus `Set-Cookie` attributes as the `cookie` package names them. */
export interface CookieInit extends Omit<SerializeOptions, 'encode'> {
  readonly value: string;
}

/** Options of {@link Response}. */
export interface ResponseInit {
  /** Status code, 200..599 (default 200). */
  readonly status?: number;
  /** Extra headers; framing headers (Content-Length, Transfer-Encoding, Connection) are refused. */
  readonly headers?: HeaderInit;
  /** Cookies by name: a plain value, or a value with attributes (`httpOnly`, `sameSite`, `maxAge`, ...). */
  readonly cookies?: Readonly<Record<string, string | CookieInit>>;
  /** Content-Type; when absent the route's declared type applies. */
  readonly mimeType?: string;
}

/**
 * A body with a status, headers and cookies, in one object. Everything is validated here, in
 * the handler that built it: a header with CR/LF or a bad cookie fails at construction with a
 * coded error instead of reaching the wire.
 * @example `return new Response('created', { status: 201, headers: { 'X-Id': '7' }, cookies: { sid: { value: 'abc', httpOnly: true } } })`
 * @throws ResponsesError `BBWS_ERR_RESPONSE_STATUS`, `BBWS_ERR_RESPONSE_HEADER`, `BBWS_ERR_COOKIE_INVALID`, `BBWS_ERR_MIME_TYPE_INVALID`
 * @see docs/responses.md
 */
export class Response {
  readonly body: string | Uint8Array | null;
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Serialised `Set-Cookie` values, one per cookie. */
  readonly setCookies: readonly string[];
  readonly mimeType: string | null;
  /** The validated header block: headers, then one Set-Cookie line per cookie. */
  readonly headerLines: string;
  /** The `Content-Type: ...\r\n` line for `mimeType`, `''` when the route's type applies. */
  readonly typeLine: string;
  /** Whether the handler set its own Content-Encoding (then nothing compresses the body again). */
  readonly isEncoded: boolean;

  constructor(body: string | Uint8Array | null = null, init: ResponseInit = {}) {
    this.body = body;
    this.status = checkFinalStatus(init.status ?? 200, 'Response');
    this.headers = Object.freeze(toPairs(init.headers).slice());
    this.setCookies = Object.freeze(serializeCookies(init.cookies));
    this.mimeType = init.mimeType ?? null;
    let lines = headerBlockOf(this.headers);
    for (const cookie of this.setCookies) lines += `Set-Cookie: ${cookie}\r\n`;
    this.headerLines = lines;
    this.typeLine = this.mimeType === null ? '' : contentTypeLineOf(this.mimeType);
    this.isEncoded = hasHeader(this.headers, 'content-encoding');
  }
}

function serializeCookies(cookies: ResponseInit['cookies']): string[] {
  if (cookies === undefined) return [];
  const out: string[] = [];
  for (const [name, init] of Object.entries(cookies)) {
    const { value, ...attributes } = typeof init === 'string' ? { value: init } : init;
    let serialized: string;
    try {
      serialized = serializeCookie(name, value, attributes);
    } catch (error) {
      throw new ResponsesError(
        'BBWS_ERR_COOKIE_INVALID',
        `cookie ${JSON.stringify(name)} cannot be serialised: ${(error as Error).message}`,
        500,
        { cause: error },
      );
    }
    // serialize() leaves attribute values it does not check (priority, sameSite strings) to us.
    headerLineOf('Set-Cookie', serialized);
    out.push(serialized);
  }
  return out;
}
