import { ResponsesError } from './errors.js';

/** Status codes a {@link Redirect} may carry. */
export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

const STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** C0 controls and DEL: CR/LF would split the response, NUL truncates it in some clients. */
const CONTROL = /[\x00-\x1f\x7f]/;
/** Runs of characters a URI cannot hold literally (space, non-ASCII); encoded as UTF-8 %XX. */
const NOT_URI = /[^\x21-\x7e]+/g;

/**
 * A redirect to `location`: 303 See Other unless told otherwise (301, 302, 307, 308).
 * The location is checked here: a control character (CR, LF, NUL, ...) is refused, so a
 * redirect built from user input cannot inject headers; spaces and non-ASCII characters are
 * percent-encoded as UTF-8.
 * @throws ResponsesError `BBWS_ERR_REDIRECT_LOCATION`, `BBWS_ERR_REDIRECT_STATUS`
 * @see docs/responses.md#redirects
 */
export class Redirect {
  readonly location: string;
  readonly status: RedirectStatus;
  /** The `Location: ...\r\n` line. */
  readonly headerLine: string;

  constructor(location: string, status: RedirectStatus = 303) {
    if (typeof location !== 'string' || location === '' || CONTROL.test(location)) {
      throw new ResponsesError(
        'BBWS_ERR_REDIRECT_LOCATION',
        `redirect location ${JSON.stringify(location)} is empty, not a string or holds a control character`,
      );
    }
    if (!STATUSES.has(status)) {
      throw new ResponsesError(
        'BBWS_ERR_REDIRECT_STATUS',
        `redirect status must be 301, 302, 303, 307 or 308, got ${String(status)}`,
      );
    }
    let encoded: string;
    try {
      encoded = location.replace(NOT_URI, encodeURI);
    } catch (error) {
      throw new ResponsesError(
        'BBWS_ERR_REDIRECT_LOCATION',
        `redirect location ${JSON.stringify(location)} holds a lone surrogate`,
        500,
        { cause: error },
      );
    }
    this.location = encoded;
    this.status = status;
    this.headerLine = `Location: ${encoded}\r\n`;
  }
}
