import { checkFinalStatus } from '@bbws/responses';
import type { SerializeOptions } from 'cookie';
import { serializeCookie } from '../internal/cookie.js';
import { headerLine } from '../results/write-result.js';

/**
 * The head of the response being built: handlers add headers and cookies or set the status
 * through `@Res()` or `ctx.response`. Validated when added, so a bad header fails in the
 * handler that set it.
 * @see docs/controllers.md
 */
export class ResponseHead {
  #status: number | null = null;
  #lines = '';

  /** Status to use instead of the result's 200/204; `null` keeps the result's. */
  get status(): number | null {
    return this.#status;
  }

  /**
   * Sets the status by `Response`'s rule (an integer 200..599): a 1xx sent as the answer would
   * leave the connection one response out of step.
   * @throws ResponsesError `BBWS_ERR_RESPONSE_STATUS`, in the handler that set it
   */
  set status(status: number | null) {
    this.#status = status === null ? null : checkFinalStatus(status, 'ResponseHead');
  }

  /** Adds a header line (repeats are kept: use for Link, Set-Cookie, ...). */
  appendHeader(name: string, value: string): this {
    this.#lines += headerLine(name, value);
    return this;
  }

  /** Adds a `Set-Cookie` header; attributes as in the `cookie` package (httpOnly, sameSite, maxAge, ...). */
  setCookie(name: string, value: string, options?: SerializeOptions): this {
    return this.appendHeader('Set-Cookie', serializeCookie(name, value, options));
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
    return this.#status === null && this.#lines === '';
  }
}
