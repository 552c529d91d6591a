import { HTAB, LOWER, SP, TOKEN } from './char-tables.js';
import { quotedStringEnd } from './quoted-string.js';

const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const CHUNKED = 'chunked';

/**
 * The Transfer-Encoding of one request head, read as one list however many field lines carry
 * it (RFC 9110 §5.3): `transfer-coding *( OWS "," OWS transfer-coding )`, each coding a token
 * with optional `;name=value` parameters (RFC 9112 §7). The parser keeps one and resets it
 * per head, so reading a head allocates nothing for it.
 */
export class TransferCodings {
  /** Codings read so far. */
  #count = 0;
  /** How many of them are `chunked`. */
  #chunkedCount = 0;
  /** Whether the last coding read is `chunked`. */
  #isLastChunked = false;
  /** Whether a `chunked` coding carried parameters. */
  #hasChunkedParameters = false;
  /** Whether a line broke the grammar: an empty element, a byte outside a token, a bad parameter. */
  #isMalformed = false;

  /** Forgets the codings of the previous head. */
  reset(): void {
    this.#count = 0;
    this.#chunkedCount = 0;
    this.#isLastChunked = false;
    this.#hasChunkedParameters = false;
    this.#isMalformed = false;
  }

  /** Adds the codings of one field line, whose trimmed value is `buf[start, end)`. */
  add(buf: Uint8Array, start: number, end: number): void {
    if (this.#isMalformed) return;
    if (isChunkedName(buf, start, end)) {
      // The line nearly every chunked request sends: `chunked` alone.
      this.#count++;
      this.#chunkedCount++;
      this.#isLastChunked = true;
      return;
    }
    let p = start;
    for (;;) {
      const nameStart = p;
      while (p < end && TOKEN[buf[p] as number] === 1) p++;
      // An empty element (`chunked,`, `, chunked`, an empty line) is refused rather than
      // skipped: parsers that skip it and parsers that count it as the final coding frame the
      // body differently (see docs/http-conformance.md).
      if (p === nameStart) {
        this.#isMalformed = true;
        return;
      }
      const isChunked = isChunkedName(buf, nameStart, p);
      const parametersEnd = skipParameters(buf, p, end);
      if (parametersEnd === -1) {
        this.#isMalformed = true;
        return;
      }
      this.#count++;
      if (isChunked) {
        this.#chunkedCount++;
        if (parametersEnd !== p) this.#hasChunkedParameters = true;
      }
      this.#isLastChunked = isChunked;
      p = skipWhitespace(buf, parametersEnd, end);
      if (p === end) return;
      if (buf[p] !== COMMA) {
        this.#isMalformed = true;
        return;
      }
      p = skipWhitespace(buf, p + 1, end);
    }
  }

  /**
   * What to answer for the list read since {@link reset}: 0 when it is exactly `chunked`;
   * 501 when it is other valid codings followed by one final `chunked` (RFC 9112 section 6.1: a coding
   * the server does not understand); 400 for everything else: chunked not final (RFC 9112
   * section 6.3), chunked twice (6.1), parameters on chunked (7.1), or a list that breaks the grammar.
   */
  failureStatus(): 0 | 400 | 501 {
    if (this.#isMalformed || !this.#isLastChunked || this.#chunkedCount !== 1 || this.#hasChunkedParameters) {
      return 400;
    }
    return this.#count === 1 ? 0 : 501;
  }
}

/** Whether `buf[start, end)` is `chunked` in any case (coding names are case-insensitive, RFC 9112 §7). */
function isChunkedName(buf: Uint8Array, start: number, end: number): boolean {
  if (end - start !== CHUNKED.length) return false;
  for (let i = 0; i < CHUNKED.length; i++) {
    if (LOWER[buf[start + i] as number] !== CHUNKED.charCodeAt(i)) return false;
  }
  return true;
}

function skipWhitespace(buf: Uint8Array, start: number, end: number): number {
  let p = start;
  while (p < end && (buf[p] === SP || buf[p] === HTAB)) p++;
  return p;
}

/**
 * `*( OWS ";" OWS token BWS "=" BWS ( token / quoted-string ) )` from `start`: the offset
 * after the last parameter (`start` when there is none), or -1 when one is malformed.
 */
function skipParameters(buf: Uint8Array, start: number, end: number): number {
  let after = start;
  for (;;) {
    let p = skipWhitespace(buf, after, end);
    if (p === end || buf[p] !== SEMICOLON) return after;
    p = skipWhitespace(buf, p + 1, end);
    const nameStart = p;
    while (p < end && TOKEN[buf[p] as number] === 1) p++;
    if (p === nameStart) return -1;
    p = skipWhitespace(buf, p, end);
    if (p === end || buf[p] !== EQUALS) return -1;
    p = skipWhitespace(buf, p + 1, end);
    if (p < end && buf[p] === DQUOTE) {
      p = quotedStringEnd(buf, p, end);
      if (p === -1) return -1;
    } else {
      const valueStart = p;
      while (p < end && TOKEN[buf[p] as number] === 1) p++;
      if (p === valueStart) return -1;
    }
    after = p;
  }
}
