import { type SerializeOptions, serialize } from 'cookie';
import { headerLine } from '../results/write-result.js';

/**
 * The head of the response being built: handlers add headers and cookies or set the status
 * through `@Res()` or `ctx.response`. Validated when added, so a bad header fails in the
 * handler that set it.
 * @see docs/controllers.md
 */
export class ResponseHead {
  /** Status to use instead of the result's 200; `null` keeps the result's. */
  status: number | null = null;
  #lines = '';

  /** Adds a header line (repeats are kept: use for Link, Set-Cookie, ...). */
  appendHeader(name: string, value: string): this {
    this.#lines += headerLine(name, value);
    return this;
  }

  /** Adds a `Set-Cookie` header; attributes as in the `cookie` package (httpOnly, sameSite, maxAge, ...). */
  setCookie(name: string, value: string, options?: SerializeOptions): this {
    return this.appendHeader('Set-Cookie', serialize(name, value, options));
  }

  /** Expires a cookie in the client. */
  clearCookie(name: string, options?: SerializeOptions): this {
    return this.setCookie(name, '', { ...options, expires: new Date(0), maxAge: 0 });
  }

  /** The added header lines, `Name: value\r\n` each. */
  get headerLines(): string {
    return this.#lines;
  }

  /** Whether anything was set. */
  get isEmpty(): boolean {
    return this.status === null && this.#lines === '';
  }
}
