import { HTAB, SP } from './char-tables.js';
import type { RequestHead } from './request-head.js';

/**
 * A request head as the parser builds it: the request line and framing are read at once,
 * the header lines are cut into names and values only when something asks for
 * {@link headers}. A route that never reads a header (most plain GETs) then costs no name or
 * value strings and no lower-cased copy of the head.
 *
 * Each head holds the decoded text of its own head (a string, immutable) and cuts its own
 * array from it: nothing one request parsed is shared with another, and a handler may edit
 * its array in place.
 */
export class ParsedHead implements RequestHead {
  readonly method: string;
  readonly target: string;
  readonly path: string;
  readonly query: string;
  readonly versionMinor: 0 | 1;
  readonly authority: string | null;
  readonly contentLength: number;
  readonly isChunked: boolean;
  readonly wantsKeepAlive: boolean;
  readonly expectsContinue: boolean;
  #headers: string[] | null;
  /** The head's text (from its first header line) while {@link headers} is not cut yet. */
  #text: string;
  #linesStart: number;
  #linesEnd: number;

  /**
   * @param headers the header list when already cut, or null to cut it from `text`
   * @param text holds the header lines `text[linesStart, linesEnd)` (each `name:value CRLF`,
   *   validated by the parser) when `headers` is null
   */
  constructor(
    method: string,
    target: string,
    path: string,
    query: string,
    versionMinor: 0 | 1,
    authority: string | null,
    contentLength: number,
    isChunked: boolean,
    wantsKeepAlive: boolean,
    expectsContinue: boolean,
    headers: string[] | null,
    text: string,
    linesStart: number,
    linesEnd: number,
  ) {
    this.method = method;
    this.target = target;
    this.path = path;
    this.query = query;
    this.versionMinor = versionMinor;
    this.authority = authority;
    this.contentLength = contentLength;
    this.isChunked = isChunked;
    this.wantsKeepAlive = wantsKeepAlive;
    this.expectsContinue = expectsContinue;
    this.#headers = headers;
    this.#text = text;
    this.#linesStart = linesStart;
    this.#linesEnd = linesEnd;
  }

  /**
   * A head like this one with a header list of its own: a list already cut is copied, one not
   * cut yet is cut from the same text (a string, immutable) when the copy's headers are read.
   * So neither head sees edits made to the other's list. Hot on repeated heads.
   */
  copy(): ParsedHead {
    const headers = this.#headers;
    return new ParsedHead(
      this.method,
      this.target,
      this.path,
      this.query,
      this.versionMinor,
      this.authority,
      this.contentLength,
      this.isChunked,
      this.wantsKeepAlive,
      this.expectsContinue,
      headers === null ? null : headers.slice(),
      this.#text,
      this.#linesStart,
      this.#linesEnd,
    );
  }

  /** Header fields as a flat list: lower-case name, value, name, value, ... Cut on first use. */
  get headers(): string[] {
    let headers = this.#headers;
    if (headers === null) {
      headers = cutFieldLines(this.#text, this.#linesStart, this.#linesEnd);
      this.#headers = headers;
      this.#text = '';
    }
    return headers;
  }
}

/**
 * The names (lower-cased) and values (without surrounding whitespace) of the validated header
 * lines `text[start, end)`: one lower-cased copy of those lines gives the names. Only the lines:
 * `text` is a whole read, which may hold a body and the heads pipelined after this one.
 */
function cutFieldLines(text: string, start: number, end: number): string[] {
  const headers: string[] = [];
  // `lower[i - start]` is `text[i]` lower-cased.
  const lower = text.substring(start, end).toLowerCase();
  let at = start;
  while (at < end) {
    const colon = text.indexOf(':', at);
    const cr = text.indexOf('\r', colon);
    let valueStart = colon + 1;
    let c = text.charCodeAt(valueStart);
    while (c === SP || c === HTAB) c = text.charCodeAt(++valueStart);
    let valueEnd = cr;
    while (valueEnd > valueStart) {
      c = text.charCodeAt(valueEnd - 1);
      if (c !== SP && c !== HTAB) break;
      valueEnd--;
    }
    headers.push(
      lower.substring(at - start, colon - start),
      valueEnd === valueStart ? '' : text.substring(valueStart, valueEnd),
    );
    at = cr + 2;
  }
  return headers;
}
