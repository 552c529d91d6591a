import { type BodyBudget, BodyBuffer, UNBOUNDED_BUDGET } from './body-buffer.js';
import {
  COLON,
  CR,
  FIELD_VALUE,
  HEX,
  HOST,
  HTAB,
  LF,
  LOWER,
  SP,
  TARGET,
  TARGET_DELIMITER,
  TOKEN,
} from './char-tables.js';
import {
  CONNECTION_NAME,
  CONTENT_LENGTH_NAME,
  framingNameAt,
  HOST_NAME,
  headerName,
  isFramingName,
  TRANSFER_ENCODING_NAME,
} from './header-names.js';
import { latin1 } from './latin1.js';
import { allowsAsteriskForm, methodName } from './methods.js';
import { ParsedHead } from './parsed-head.js';
import { quotedStringEnd } from './quoted-string.js';
import type { RequestHead } from './request-head.js';
import { TransferCodings } from './transfer-codings.js';

/** Limits the parser enforces while it reads. */
export interface ParserLimits {
  /** Longest request-target; longer is 414. */
  readonly maxUrlLength: number;
  /** Largest head (request line + header lines), and largest trailer section; larger is 431. */
  readonly maxHeaderBytes: number;
  /** Largest body, declared or counted; larger is 413. */
  readonly maxBodyBytes: number;
}

/** {@link RequestParser.next}: more bytes are needed. */
export const NEED_MORE = 0;
/** {@link RequestParser.next}: a whole request (head and body) is ready. */
export const REQUEST = 1;
/** {@link RequestParser.next}: the input is rejected; see `errorStatus`. */
export const FAILED = 2;
/** {@link RequestParser.next}, streamed body: `piece` holds the next bytes of the body. */
export const BODY_PIECE = 3;
/** {@link RequestParser.next}, streamed body: the body is complete; the next head follows. */
export const BODY_END = 4;
/** What {@link RequestParser.next} found. */
export type ParseStep =
  | typeof NEED_MORE
  | typeof REQUEST
  | typeof FAILED
  | typeof BODY_PIECE
  | typeof BODY_END;

/**
 * Asked once per request head with a body, when set: the most bytes this request's body may
 * have if it is to be streamed to its handler, or -1 to buffer it as usual.
 */
export type BodyStreamDecider = (head: RequestHead) => number;

/** Where the parser stands, for the connection's timers. */
export type ParsePhase = 'idle' | 'head' | 'body' | 'failed';

const S_HEAD = 0;
const S_BODY_LENGTH = 1;
const S_CHUNK_SIZE = 2;
const S_CHUNK_DATA = 3;
const S_CHUNK_DATA_END = 4;
const S_TRAILERS = 5;
const S_FAILED = 6;
/** A streamed body ended with the piece just returned: the next step is BODY_END. */
const S_STREAM_END = 7;

const EMPTY = Buffer.alloc(0);
/** `HTTP/d.d` then CR; DIGIT_SLOT stands for any digit. */
const DIGIT_SLOT = -1;
const VERSION_PATTERN = [0x48, 0x54, 0x54, 0x50, 0x2f, DIGIT_SLOT, 0x2e, DIGIT_SLOT, CR];
const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
/** A chunk-size line (size and extensions) longer than this is rejected. */
const MAX_CHUNK_LINE_BYTES = 4096;
/** Up to 15 digits: any such Content-Length is a safe integer. */
const MAX_LENGTH_DIGITS = 15;
/** Up to 13 hex digits: any such chunk size is a safe integer. */
const MAX_CHUNK_SIZE_DIGITS = 13;
/** Heads shorter than this are searched for their end in JavaScript (a native call costs more). */
const SHORT_SCAN_BYTES = 1024;
/**
 * A read up to this size is decoded whole when a head begins in it, and the end of the head
 * searched in the string (a body in the same read is decoded too: at most this much).
 */
const TEXT_SCAN_BYTES = 4096;
const HEAD_END = '\r\n\r\n';
/** Heads without body up to this size are remembered, so an identical next head is not parsed again. */
const MAX_REPEATED_HEAD = 512;

/**
 * The strict incremental HTTP/1.1 request parser. Feed it the bytes of one connection as they
 * come ({@link RequestParser.feed}); {@link RequestParser.next} returns `REQUEST` for each
 * complete request (head and decoded body), `NEED_MORE`, or `FAILED` with the status to send.
 *
 * Strict means: anything a second parser could read differently is rejected (RFC 9112 §11.2,
 * request smuggling), and the connection must then be closed. See docs/http-conformance.md.
 *
 * Hot: every request runs {@link RequestParser.next}; the head is validated in one pass over
 * the bytes with lookup tables, and names of common headers are interned.
 */
export class RequestParser {
  readonly #limits: ParserLimits;
  #buf: Buffer = EMPTY;
  #pos = 0;
  #end = 0;
  /** Whether `#buf` is ours (grown by copying) and may take more bytes after `#end`. */
  #isOwned = false;
  /**
   * Whether `#buf` is lent by the caller until {@link detach} ({@link feedBorrowed}): bodies
   * taken from it are copies, and detach copies the bytes not read yet.
   */
  #isBorrowed = false;
  /** Bytes after `#pos` already searched for the end of the head. */
  #scanned = 0;
  /** Whether the request line of the partial head was already validated. */
  #isLineChecked = false;
  #state = S_HEAD;
  #head: RequestHead | null = null;
  #body: Buffer | null = null;
  #remaining = 0;
  /**
   * The body being received, copied as it arrives (bounded by its bytes, whatever the framing);
   * made for the first body that arrives in pieces.
   */
  #bodyBuffer: BodyBuffer | null = null;
  /** The most the body may grow to: its Content-Length, or max_body_size when chunked. */
  #bodyCap = 0;
  #chunkTotal = 0;
  readonly #budget: BodyBudget;
  /** Bytes of {@link #budget} held for the current body. */
  #reserved = 0;
  #trailerBytes = 0;
  #bodyBytesRead = 0;
  #errorStatus = 0;
  /** The bytes `#textBuf[#textStart, #textEnd)` decoded, for the heads that follow in them. */
  #text = '';
  #textBuf: Buffer = EMPTY;
  #textStart = 0;
  #textEnd = 0;
  /**
   * A recent head without body, never one a handler got (its header list, or the text to cut
   * one from, is its own), and a copy of its bytes (the first `#repeatedLength`), four to a word.
   */
  #repeatedHead: ParsedHead | null = null;
  #repeatedWords: Int32Array | null = null;
  #repeatedLength = 0;
  /** Heads in a row that were not {@link #repeatedHead}. */
  #headMisses = 0;
  /**
   * Whether a head without body was read since this parser was made or trimmed: the first
   * is not kept as {@link #repeatedHead}, since most connections idle after one request.
   */
  #hasReadHead = false;
  #errorReason = '';
  /** Decides which bodies stream; null (the default) buffers every body. */
  #streamDecider: BodyStreamDecider | null = null;
  /** Whether the body being read is handed out in pieces instead of buffered. */
  #isStreaming = false;
  /** The largest body the current request may have: max_body_size, or its stream limit. */
  #bodyMax = 0;
  #piece: Buffer = EMPTY;

  /**
   * @param limits what the parser enforces while it reads
   * @param budget where body buffers draw their memory from (default: no bound)
   */
  constructor(limits: ParserLimits, budget: BodyBudget = UNBOUNDED_BUDGET) {
    this.#limits = limits;
    this.#budget = budget;
  }

  /**
   * Lets some bodies stream: for a head with a body, `decide` returns the most bytes the body
   * may have when it is handed out in pieces (`BODY_PIECE`, then `BODY_END`), or -1 to buffer
   * it up to max_body_size. A streamed request is `REQUEST` as soon as its head is read, with
   * a `null` body. @see docs/architecture.md
   */
  setStreamDecider(decide: BodyStreamDecider | null): void {
    this.#streamDecider = decide;
  }

  /** Whether the request just returned streams its body (pieces follow its `REQUEST`). */
  get isStreamingBody(): boolean {
    return this.#isStreaming;
  }

  /**
   * The bytes of the last `BODY_PIECE`: a view of the received bytes, valid until the
   * caller drops it (the parser never writes over bytes it handed out).
   */
  get piece(): Buffer {
    return this.#piece;
  }

  /** The head of the request being read or just completed. */
  get head(): RequestHead | null {
    return this.#head;
  }

  /** The body of the request just completed (`null` without Content-Length or chunked coding). */
  get body(): Buffer | null {
    return this.#body;
  }

  /** Status to answer after `FAILED` (400, 413, 414, 417, 431, 501, 505). */
  get errorStatus(): number {
    return this.#errorStatus;
  }

  /** Why the input was rejected, for logs. */
  get errorReason(): string {
    return this.#errorReason;
  }

  /** Body bytes read so far for the current request (for the minimum upload rate). */
  get bodyBytesRead(): number {
    return this.#bodyBytesRead;
  }

  /**
   * Hands over the budget bytes held for the body just completed: the caller returns them
   * (with {@link BodyBudget.release}) when it is done with the body.
   */
  takeReservation(): number {
    const reserved = this.#reserved;
    this.#reserved = 0;
    return reserved;
  }

  /** Bytes received and not consumed yet. */
  get bufferedBytes(): number {
    return this.#end - this.#pos;
  }

  /** Where the parser stands: between requests, inside a head, inside a body, or failed. */
  get phase(): ParsePhase {
    const state = this.#state;
    if (state === S_HEAD) return this.#end > this.#pos ? 'head' : 'idle';
    return state === S_FAILED ? 'failed' : 'body';
  }

  /** Appends received bytes. The parser keeps a reference to `chunk`; do not reuse it. */
  feed(chunk: Buffer): void {
    if (this.#end - this.#pos === 0) {
      this.#buf = chunk;
      this.#pos = 0;
      this.#end = chunk.length;
      this.#isOwned = false;
      this.#isBorrowed = false;
      return;
    }
    this.#append(chunk, chunk.length);
  }

  /**
   * Appends `buf[0, length)`, bytes the caller writes over once {@link detach} returns (a read
   * buffer shared by every socket). Until then the bytes are parsed where they are: a request
   * read whole is never copied. A body taken meanwhile is a copy of its bytes. Every call
   * must be followed by `detach` before the caller reuses `buf` or feeds again.
   */
  feedBorrowed(buf: Buffer, length: number): void {
    if (this.#isBorrowed)
      throw new Error('RequestParser.feedBorrowed: the last borrowed bytes were not detached');
    if (this.#end - this.#pos === 0) {
      this.#buf = buf;
      this.#pos = 0;
      this.#end = length;
      this.#isOwned = false;
      this.#isBorrowed = true;
      // The decoded text is cached by buffer: the same buffer now holds other bytes.
      this.#text = '';
      this.#textBuf = EMPTY;
      return;
    }
    this.#append(buf, length);
  }

  /**
   * Ends a {@link feedBorrowed}: the bytes not read yet are copied (exactly their size, so an
   * idle connection holds what it was sent, not a read buffer); nothing refers to the
   * borrowed buffer afterwards.
   */
  detach(): void {
    if (!this.#isBorrowed) return;
    this.#isBorrowed = false;
    const pending = this.#end - this.#pos;
    if (pending === 0) {
      this.#release();
      return;
    }
    const own = Buffer.allocUnsafeSlow(pending);
    this.#buf.copy(own, 0, this.#pos, this.#end);
    this.#buf = own;
    this.#pos = 0;
    this.#end = pending;
    this.#isOwned = true;
    this.#text = '';
    this.#textBuf = EMPTY;
  }

  /** Adds `chunk[0, length)` after the bytes not read yet, copying into a buffer of ours. */
  #append(chunk: Buffer, length: number): void {
    if (this.#isOwned && this.#buf.length - this.#end >= length) {
      chunk.copy(this.#buf, this.#end, 0, length);
      this.#end += length;
      return;
    }
    // Grow by doubling so a head that trickles in byte by byte costs linear copying.
    const pending = this.#end - this.#pos;
    const size = pending + length;
    const grown = Buffer.allocUnsafe(Math.max(size * 2, 4096));
    this.#buf.copy(grown, 0, this.#pos, this.#end);
    chunk.copy(grown, pending, 0, length);
    this.#buf = grown;
    this.#pos = 0;
    this.#end = size;
    this.#isOwned = true;
    this.#isBorrowed = false;
  }

  /**
   * The end of the input: a request cut short is malformed (400). Returns `FAILED` or
   * `NEED_MORE` (nothing was pending).
   */
  finish(): ParseStep {
    if (this.#state === S_FAILED) return FAILED;
    if (this.phase === 'idle') return NEED_MORE;
    return this.#fail(400, 'connection ended inside a request');
  }

  /** Advances over the buffered bytes. Hot. */
  next(): ParseStep {
    for (;;) {
      switch (this.#state) {
        case S_HEAD: {
          const step = this.#readHead();
          if (step !== -1) return step;
          break;
        }
        case S_BODY_LENGTH:
          return this.#readLengthBody();
        case S_CHUNK_SIZE:
          if (!this.#readChunkSize()) return this.#stalled();
          break;
        case S_CHUNK_DATA:
          if (this.#isStreaming) return this.#readChunkPiece();
          if (!this.#readChunkData()) return NEED_MORE;
          break;
        case S_CHUNK_DATA_END:
          if (!this.#readChunkDataEnd()) return this.#stalled();
          break;
        case S_TRAILERS: {
          const step = this.#readTrailer();
          if (step !== -1) return step;
          break;
        }
        case S_STREAM_END:
          return this.#endStream();
        default:
          return FAILED;
      }
    }
  }

  #stalled(): ParseStep {
    return this.#state === S_FAILED ? FAILED : NEED_MORE;
  }

  /** -1: the head is done and a body state follows; otherwise the step to return. */
  #readHead(): ParseStep | -1 {
    const buf = this.#buf;
    const end = this.#end;
    let pos = this.#pos;
    // RFC 9112 §2.2: ignore empty lines before the request-line (clients send a stray CRLF after a body).
    while (pos + 1 < end && buf[pos] === CR && buf[pos + 1] === LF) pos += 2;
    if (pos !== this.#pos) {
      this.#pos = pos;
      this.#scanned = 0;
      this.#isLineChecked = false;
    }
    if (pos === end) {
      this.#release();
      return NEED_MORE;
    }
    if (pos + 1 === end && buf[pos] === CR) return NEED_MORE;
    const repeated = this.#repeatedHead;
    if (repeated !== null && this.#scanned === 0 && this.#isRepeatedHead(buf, pos, end)) {
      // The same bytes as an earlier head (which end in its only CRLFCRLF): the same parse,
      // without searching for the end or parsing.
      this.#head = repeated.copy();
      this.#pos = pos + this.#repeatedLength;
      this.#bodyBytesRead = 0;
      return this.#complete(null);
    }
    const from = pos + (this.#scanned > 3 ? this.#scanned - 3 : 0);
    let found: number;
    let text: string;
    let textStart: number;
    if (this.#scanned === 0 && end - pos <= TEXT_SCAN_BYTES) {
      // A head that came in one read (nearly all do): the bytes are decoded once, the end of
      // the head is found natively in that string, and the head is parsed from it.
      text = this.#textOf(buf, pos, end);
      textStart = this.#textStart;
      if (!isByteWiseOnly) {
        // A valid head is found by the expressions that check it: its field lines end at its
        // first empty line (no line of theirs holds a CR), so no search for CRLFCRLF runs first.
        REQUEST_LINE.lastIndex = pos - textStart;
        if (REQUEST_LINE.test(text)) {
          FIELD_LINES.lastIndex = REQUEST_LINE.lastIndex;
          if (FIELD_LINES.test(text)) {
            this.#isLineChecked = false;
            return this.#parseHead(pos, textStart + FIELD_LINES.lastIndex - 2, text, textStart, true);
          }
        }
      }
      found = text.indexOf(HEAD_END, pos - textStart);
      if (found !== -1) found += textStart;
    } else {
      found = findHeadEnd(buf, from, end);
      text = '';
      textStart = pos;
    }
    if (found === -1) {
      const step = this.#checkPartialHead(from);
      this.#scanned = end - pos;
      return step;
    }
    if (text === '') text = latin1(buf, pos, found + 4);
    this.#scanned = 0;
    this.#isLineChecked = false;
    return this.#parseHead(pos, found + 2, text, textStart, false);
  }

  /**
   * `buf[pos, end)` as a latin1 string; its first character is `buf[this.#textStart]`. The
   * string of the last call is reused while the same bytes are read (pipelined heads).
   */
  #textOf(buf: Buffer, pos: number, end: number): string {
    if (this.#textBuf === buf && this.#textEnd === end && this.#textStart <= pos) return this.#text;
    const text = latin1(buf, pos, end);
    this.#text = text;
    this.#textBuf = buf;
    this.#textStart = pos;
    this.#textEnd = end;
    return text;
  }

  /**
   * Whether the bytes at `buf[start]` (up to `end`) begin with those of {@link #repeatedHead}.
   * Hot. Eight bytes a step, each four packed into one number and compared with a word of
   * {@link #repeatedWords}: an optimised loop pays its checks (the array's shape, its bounds,
   * the stack) per step, so a step per byte cost about twice as many instructions.
   */
  #isRepeatedHead(buf: Buffer, start: number, end: number): boolean {
    const words = this.#repeatedWords;
    const length = this.#repeatedLength;
    if (words === null) return false;
    if (end - start < length) {
      this.#headMisses++;
      return false;
    }
    const wholeEnd = start + (length & ~7);
    let p = start;
    let k = 0;
    for (; p < wholeEnd; p += 8, k += 2) {
      if (
        ((buf[p] as number) |
          ((buf[p + 1] as number) << 8) |
          ((buf[p + 2] as number) << 16) |
          ((buf[p + 3] as number) << 24)) !==
          words[k] ||
        ((buf[p + 4] as number) |
          ((buf[p + 5] as number) << 8) |
          ((buf[p + 6] as number) << 16) |
          ((buf[p + 7] as number) << 24)) !==
          words[k + 1]
      ) {
        this.#headMisses++;
        return false;
      }
    }
    // The last 0 to 7 bytes, one by one: byte `i` of the head is byte `i & 3` of word `i >> 2`.
    for (let i = length & ~7; i < length; i++, p++) {
      if (buf[p] !== (((words[i >> 2] as number) >>> ((i & 3) << 3)) & 0xff)) {
        this.#headMisses++;
        return false;
      }
    }
    this.#headMisses = 0;
    return true;
  }

  /**
   * Keeps a copy of the bytes of a head without body for {@link #isRepeatedHead}, four to a
   * word (byte `i` in bits `8 * (i & 3)` of word `i >> 2`). A client whose heads keep changing
   * is sampled (every 32nd head), so it pays little for the copies.
   */
  #keepRepeatedHead(head: ParsedHead, start: number, end: number): void {
    const length = end - start;
    if (length > MAX_REPEATED_HEAD) return;
    if (this.#headMisses > 4 && (this.#headMisses & 31) !== 0) return;
    let words = this.#repeatedWords;
    if (words === null) {
      words = new Int32Array(MAX_REPEATED_HEAD / 4);
      this.#repeatedWords = words;
    }
    words.fill(0, 0, (length + 3) >> 2);
    const buf = this.#buf;
    for (let i = 0; i < length; i++) words[i >> 2] |= (buf[start + i] as number) << ((i & 3) << 3);
    this.#repeatedLength = length;
    // A copy: the head itself goes to a handler, which may edit its headers in place.
    this.#repeatedHead = head.copy();
  }

  /**
   * Rejects what can be rejected before the head is complete, in the order the complete head
   * is judged (request line, then size, then header lines), so where the bytes are split never
   * changes the answer.
   */
  #checkPartialHead(from: number): ParseStep {
    const buf = this.#buf;
    const end = this.#end;
    const pos = this.#pos;
    let lf = buf.indexOf(LF, pos);
    if (lf >= end) lf = -1;
    if (lf === -1) {
      if (this.#checkRequestLinePrefix(pos, end) === -1) return FAILED;
    } else if (!this.#isLineChecked) {
      if (this.#parseRequestLine(pos, LINE, null, 0) === -1) return FAILED;
      this.#isLineChecked = true;
    }
    if (end - pos > this.#limits.maxHeaderBytes) return this.#fail(431, 'head larger than max_header_size');
    // A line feed without a carriage return before it is never part of a valid head.
    lf = buf.indexOf(LF, from);
    while (lf !== -1 && lf < end) {
      if (lf === pos || buf[lf - 1] !== CR) return this.#fail(400, 'bare LF in the head');
      lf = buf.indexOf(LF, lf + 1);
    }
    return NEED_MORE;
  }

  /**
   * Judges a request line that has not ended yet, exactly as {@link #parseRequestLine} would
   * judge its bytes so far: -1 after failing, 0 when no verdict is possible yet.
   */
  #checkRequestLinePrefix(start: number, end: number): 0 | -1 {
    const buf = this.#buf;
    let p = start;
    while (p < end && TOKEN[buf[p] as number] === 1) p++;
    if (p === end) return 0;
    if (p === start || buf[p] !== SP) return this.#failLine(400, 'malformed method');
    const targetStart = ++p;
    while (p < end && TARGET[buf[p] as number] !== 0) p++;
    if (p - targetStart > this.#limits.maxUrlLength) return this.#failLine(414, 'request-target too long');
    if (p === end) return 0;
    if (p === targetStart || buf[p] !== SP) return this.#failLine(400, 'malformed request-target');
    p++;
    for (let i = 0; p + i < end && i < VERSION_PATTERN.length; i++) {
      const b = buf[p + i] as number;
      const expected = VERSION_PATTERN[i] as number;
      if (expected === DIGIT_SLOT ? b < 0x30 || b > 0x39 : b !== expected) {
        return this.#failLine(400, 'malformed HTTP version');
      }
    }
    return 0;
  }

  /**
   * Parses the head in `buf[start, headEnd)`; `headEnd` is where the empty line's CRLF starts.
   * `text` holds the head as a latin1 string whose first character is `buf[textStart]`: the
   * target, names and values are cut from it (a substring, no native call per field).
   * `isMatched`: REQUEST_LINE and FIELD_LINES matched the head already, up to `headEnd + 2`.
   * Hot.
   */
  #parseHead(
    start: number,
    headEnd: number,
    text: string,
    textStart: number,
    isMatched: boolean,
  ): ParseStep | -1 {
    const _buf = this.#buf;
    const line = LINE;
    line.authority = null;
    REQUEST_LINE.lastIndex = start - textStart;
    const p =
      isMatched || (!isByteWiseOnly && REQUEST_LINE.test(text))
        ? this.#readRequestLineFast(start, line, text, textStart)
        : this.#parseRequestLine(start, line, text, textStart);
    if (p === -1) return FAILED;
    if (headEnd + 2 - start > this.#limits.maxHeaderBytes) {
      return this.#fail(431, 'head larger than max_header_size');
    }
    let headers: string[] | null = null;
    const fields = FIELDS;
    fields.reset();
    const linesStart = p - textStart;
    const linesEnd = headEnd - textStart;
    FIELD_LINES.lastIndex = linesStart;
    if (isMatched || (!isByteWiseOnly && FIELD_LINES.test(text) && FIELD_LINES.lastIndex === linesEnd + 2)) {
      // Every line is `token ":" field-value CRLF` (the regular expression checks each byte
      // natively): each line is found by its LF, and only the fields the parser acts on are
      // cut here; the head cuts the rest when its headers are first read (ParsedHead).
      let at = linesStart;
      while (at < linesEnd) {
        const lf = text.indexOf('\n', at);
        const name = framingNameAt(_buf, textStart + at);
        if (name !== '') {
          let valueStart = at + name.length + 1;
          let c = text.charCodeAt(valueStart);
          while (c === SP || c === HTAB) c = text.charCodeAt(++valueStart);
          let valueEnd = lf - 1;
          while (valueEnd > valueStart) {
            c = text.charCodeAt(valueEnd - 1);
            if (c !== SP && c !== HTAB) break;
            valueEnd--;
          }
          const value = valueEnd === valueStart ? '' : text.substring(valueStart, valueEnd);
          if (!this.#takeFramingField(name, value, textStart + valueStart, textStart + valueEnd))
            return FAILED;
        }
        at = lf + 1;
      }
    } else {
      headers = [];
      if (!this.#readFieldsByteByByte(text, textStart, p, headEnd, headers)) return FAILED;
    }
    const versionMinor = line.versionMinor;
    const { host, contentLength, hasTransferEncoding, isClose, isKeepAlive, expectsContinue } = fields;
    let isChunked = false;
    if (versionMinor === 1 && fields.hostCount === 0) return this.#fail(400, 'missing Host');
    if (hasTransferEncoding) {
      if (contentLength !== -1) return this.#fail(400, 'both Content-Length and Transfer-Encoding');
      // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing.
      if (versionMinor === 0) return this.#fail(400, 'Transfer-Encoding in HTTP/1.0');
      const status = TRANSFER_CODINGS.failureStatus();
      if (status === 501) return this.#fail(501, 'transfer coding other than chunked');
      if (status === 400) return this.#fail(400, 'Transfer-Encoding other than one final chunked');
      isChunked = true;
    }
    if (fields.hasBadExpect) return this.#fail(417, 'Expect other than 100-continue');
    const head = new ParsedHead(
      line.method,
      line.target,
      line.path,
      line.query,
      versionMinor,
      line.authority ?? host,
      contentLength,
      isChunked,
      !isClose && (versionMinor === 1 || isKeepAlive),
      expectsContinue,
      headers,
      headers === null ? text : '',
      linesStart,
      linesEnd,
    );
    this.#head = head;
    let streamMax = -1;
    if (this.#streamDecider !== null && (contentLength > 0 || isChunked))
      streamMax = this.#streamDecider(head);
    this.#bodyMax = streamMax >= 0 ? streamMax : this.#limits.maxBodyBytes;
    if (contentLength > this.#bodyMax) {
      return this.#fail(413, 'Content-Length larger than max_body_size');
    }
    if (streamMax >= 0) return this.#startStream(headEnd + 2, contentLength);
    if (contentLength === -1 && !isChunked && !expectsContinue) {
      // A parser's first head is not kept: most connections idle after one request, and the
      // parser is then trimmed and the copy thrown away (see #hasReadHead).
      if (this.#hasReadHead) this.#keepRepeatedHead(head, start, headEnd + 2);
      else this.#hasReadHead = true;
    }
    this.#pos = headEnd + 2;
    this.#bodyBytesRead = 0;
    if (isChunked) {
      this.#chunkTotal = 0;
      this.#bodyCap = this.#limits.maxBodyBytes;
      this.#state = S_CHUNK_SIZE;
      return -1;
    }
    if (contentLength > 0) {
      const available = this.#end - this.#pos;
      if (available >= contentLength) {
        this.#bodyBytesRead = contentLength;
        return this.#complete(this.#take(contentLength));
      }
      // The whole declared length is taken from the budget now, so an upload that cannot fit
      // is refused before a byte of it is read; memory is allocated only as bytes arrive.
      if (!this.#budget.tryReserve(contentLength)) {
        return this.#fail(503, 'bodies in progress hold max_body_buffer_total');
      }
      this.#reserved += contentLength;
      this.#bodyCap = contentLength;
      this.#remaining = contentLength;
      this.#state = S_BODY_LENGTH;
      return -1;
    }
    return this.#complete(contentLength === 0 ? EMPTY : null);
  }

  /**
   * The header lines of a head the fast path refused, read byte by byte: finds the first
   * line that breaks the grammar and fails with what is wrong with it (a framing field
   * before it is judged first, as it comes first). Also reads a valid head, the same way the
   * fast path does, should a head it refuses be valid. False after failing.
   */
  #readFieldsByteByByte(
    text: string,
    textStart: number,
    from: number,
    headEnd: number,
    headers: string[],
  ): boolean {
    const buf = this.#buf;
    let p = from;
    while (p < headEnd) {
      const nameStart = p;
      let hasUpper = false;
      let c = buf[p] as number;
      while (TOKEN[c] === 1) {
        if (c < 0x5b && c > 0x40) hasUpper = true;
        c = buf[++p] as number;
      }
      if (c !== COLON || p === nameStart) {
        if (p === nameStart && (c === SP || c === HTAB)) return this.#fail(400, 'obs-fold line') !== FAILED;
        if (c === SP || c === HTAB) return this.#fail(400, 'whitespace before the colon') !== FAILED;
        return this.#fail(400, 'invalid header name') !== FAILED;
      }
      const name = headerName(buf, nameStart, p, hasUpper);
      c = buf[++p] as number;
      while (c === SP || c === HTAB) c = buf[++p] as number;
      const valueStart = p;
      let valueEnd = p;
      while (c !== CR) {
        if (FIELD_VALUE[c] !== 1) return this.#fail(400, 'invalid byte in a header value') !== FAILED;
        p++;
        if (c !== SP && c !== HTAB) valueEnd = p;
        c = buf[p] as number;
      }
      if (buf[p + 1] !== LF) return this.#fail(400, 'bare CR in a header') !== FAILED;
      p += 2;
      const value =
        valueEnd === valueStart ? '' : text.substring(valueStart - textStart, valueEnd - textStart);
      headers.push(name, value);
      if (isFramingName(name) && !this.#takeFramingField(name, value, valueStart, valueEnd)) return false;
    }
    return true;
  }

  /**
   * Reads one of the fields the parser itself acts on (Host, Content-Length, Transfer-Encoding,
   * Connection, Expect) into {@link FIELDS}; its value is `buf[valueStart, valueEnd)`. False
   * after failing.
   */
  #takeFramingField(name: string, value: string, valueStart: number, valueEnd: number): boolean {
    const buf = this.#buf;
    const fields = FIELDS;
    if (name === HOST_NAME) {
      if (++fields.hostCount > 1) return this.#fail(400, 'repeated Host') !== FAILED;
      for (let i = valueStart; i < valueEnd; i++) {
        if (HOST[buf[i] as number] !== 1) return this.#fail(400, 'invalid Host') !== FAILED;
      }
      fields.host = value;
    } else if (name === CONTENT_LENGTH_NAME) {
      if (fields.contentLength !== -1) return this.#fail(400, 'repeated Content-Length') !== FAILED;
      if (valueEnd === valueStart) return this.#fail(400, 'empty Content-Length') !== FAILED;
      if (valueEnd - valueStart > MAX_LENGTH_DIGITS) {
        for (let i = valueStart; i < valueEnd; i++) {
          const d = buf[i] as number;
          if (d < 0x30 || d > 0x39) return this.#fail(400, 'malformed Content-Length') !== FAILED;
        }
        return this.#fail(413, 'Content-Length larger than max_body_size') !== FAILED;
      }
      let n = 0;
      for (let i = valueStart; i < valueEnd; i++) {
        const d = (buf[i] as number) - 0x30;
        if (d < 0 || d > 9) return this.#fail(400, 'malformed Content-Length') !== FAILED;
        n = n * 10 + d;
      }
      fields.contentLength = n;
    } else if (name === TRANSFER_ENCODING_NAME) {
      // Judged once the head is read: the lines form one list (RFC 9110 §5.3), and a
      // Content-Length or HTTP/1.0 rejection wins over 501.
      if (!fields.hasTransferEncoding) {
        fields.hasTransferEncoding = true;
        TRANSFER_CODINGS.reset();
      }
      TRANSFER_CODINGS.add(buf, valueStart, valueEnd);
    } else if (name === CONNECTION_NAME) {
      const options = connectionOptions(value);
      if ((options & CONNECTION_CLOSE) !== 0) fields.isClose = true;
      if ((options & CONNECTION_KEEP_ALIVE) !== 0) fields.isKeepAlive = true;
    } else if (equalsLower(buf, valueStart, valueEnd, '100-continue')) {
      fields.expectsContinue = true;
    } else {
      fields.hasBadExpect = true;
    }
    return true;
  }

  /**
   * Parses the request line at `start` into `out`; returns the offset after its CRLF, or -1
   * after failing. Relies on the line ending in CR (or LF, which no table admits). `text`,
   * when given, holds the line as a string whose first character is `buf[textStart]`: the
   * target is cut from it.
   */
  #parseRequestLine(start: number, out: RequestLineOut, text: string | null, textStart: number): number {
    const buf = this.#buf;
    let p = start;
    while (TOKEN[buf[p] as number] === 1) p++;
    if (p === start || buf[p] !== SP) return this.#failLine(400, 'malformed method');
    const method = methodName(buf, start, p);
    const targetStart = ++p;
    let queryAt = -1;
    let fragmentAt = -1;
    let c = buf[p] as number;
    let kind = TARGET[c] as number;
    while (kind !== 0) {
      if (kind === TARGET_DELIMITER && fragmentAt === -1) {
        if (c === 0x23 /* # */) fragmentAt = p;
        else if (queryAt === -1) queryAt = p;
      }
      c = buf[++p] as number;
      kind = TARGET[c] as number;
    }
    const targetEnd = p;
    if (targetEnd - targetStart > this.#limits.maxUrlLength)
      return this.#failLine(414, 'request-target too long');
    if (targetEnd === targetStart || c !== SP) return this.#failLine(400, 'malformed request-target');
    p++;
    if (
      buf[p] !== 0x48 ||
      buf[p + 1] !== 0x54 ||
      buf[p + 2] !== 0x54 ||
      buf[p + 3] !== 0x50 ||
      buf[p + 4] !== 0x2f ||
      !isDigit(buf[p + 5]) ||
      buf[p + 6] !== 0x2e ||
      !isDigit(buf[p + 7]) ||
      buf[p + 8] !== CR
    ) {
      return this.#failLine(400, 'malformed HTTP version');
    }
    if (buf[p + 9] !== LF) return this.#failLine(400, 'bare CR after the request line');
    return this.#finishRequestLine(
      out,
      method,
      targetStart,
      targetEnd,
      queryAt,
      fragmentAt,
      p,
      text,
      textStart,
    );
  }

  /**
   * The request line at `buf[start]` when it matched {@link REQUEST_LINE} (so every byte is
   * valid): cut by native searches instead of a byte loop, then judged as
   * {@link #parseRequestLine} judges it. `text[start - textStart]` is `buf[start]`. Hot.
   */
  #readRequestLineFast(start: number, out: RequestLineOut, text: string, textStart: number): number {
    const methodEnd = text.indexOf(' ', start - textStart);
    const targetFrom = methodEnd + 1;
    const targetTo = text.indexOf(' ', targetFrom);
    // The target holds no space: the first `#` and `?` after its start are in it when before its end.
    let fragmentAt = text.indexOf('#', targetFrom);
    if (fragmentAt > targetTo) fragmentAt = -1;
    let queryAt = text.indexOf('?', targetFrom);
    if (queryAt > (fragmentAt === -1 ? targetTo : fragmentAt)) queryAt = -1;
    const targetStart = textStart + targetFrom;
    const targetEnd = textStart + targetTo;
    if (targetEnd - targetStart > this.#limits.maxUrlLength)
      return this.#failLine(414, 'request-target too long');
    return this.#finishRequestLine(
      out,
      methodName(this.#buf, start, textStart + methodEnd),
      targetStart,
      targetEnd,
      queryAt === -1 ? -1 : textStart + queryAt,
      fragmentAt === -1 ? -1 : textStart + fragmentAt,
      targetEnd + 1,
      text,
      textStart,
    );
  }

  /**
   * The checks of a syntactically valid request line whose version starts at `buf[p]`: the
   * version, then the target's form; fills `out` and returns the offset after the line's
   * CRLF, or -1 after failing.
   */
  #finishRequestLine(
    out: RequestLineOut,
    method: string,
    targetStart: number,
    targetEnd: number,
    queryAt: number,
    fragmentAt: number,
    p: number,
    text: string | null,
    textStart: number,
  ): number {
    const buf = this.#buf;
    if (buf[p + 5] !== 0x31) return this.#failLine(505, 'HTTP version not supported');
    // RFC 9110 §6.2: a higher minor version of a major version we implement (HTTP/1.2) is
    // processed as the highest minor version we conform to.
    out.versionMinor = buf[p + 7] === 0x30 ? 0 : 1;
    out.method = method;
    const first = buf[targetStart];
    // `target` stays as sent; path and query end before a fragment, which is not part of the
    // target URI (RFC 9110 §7.1), so routing never sees it.
    const target =
      text === null
        ? latin1(buf, targetStart, targetEnd)
        : text.substring(targetStart - textStart, targetEnd - textStart);
    out.target = target;
    const uriLength = (fragmentAt === -1 ? targetEnd : fragmentAt) - targetStart;
    if (first === 0x2f /* / */) {
      if (queryAt === -1) {
        out.path = fragmentAt === -1 ? target : target.slice(0, uriLength);
        out.query = '';
      } else {
        out.path = target.slice(0, queryAt - targetStart);
        out.query = target.slice(queryAt - targetStart + 1, uriLength);
      }
    } else if (first === 0x2a /* * */ && targetEnd - targetStart === 1) {
      if (!allowsAsteriskForm(method)) return this.#failLine(400, 'asterisk-form with a resource method');
      out.path = '*';
      out.query = '';
    } else if (method === 'CONNECT') {
      // authority-form is `host:port` (RFC 9112 §3.2.3): a fragment has nothing to attach to.
      if (fragmentAt !== -1) return this.#failLine(400, 'fragment in an authority-form target');
      out.path = '';
      out.query = '';
      out.authority = target;
    } else if (!parseAbsoluteForm(fragmentAt === -1 ? target : target.slice(0, uriLength), out)) {
      return this.#failLine(400, 'malformed request-target');
    }
    return p + 10;
  }

  #readLengthBody(): ParseStep {
    const available = this.#end - this.#pos;
    if (available === 0) return NEED_MORE;
    const n = Math.min(available, this.#remaining);
    if (this.#isStreaming) {
      this.#piece = this.#take(n);
      this.#remaining -= n;
      this.#bodyBytesRead += n;
      if (this.#pos === this.#end) this.#release();
      if (this.#remaining === 0) this.#state = S_STREAM_END;
      return BODY_PIECE;
    }
    // Reserved in full at the head: growth here never needs the budget.
    const body = this.#ownBodyBuffer();
    const capacity = body.capacityFor(n, this.#bodyCap);
    if (capacity !== body.capacity) body.grow(capacity);
    body.append(this.#buf, this.#pos, this.#pos + n);
    this.#pos += n;
    this.#remaining -= n;
    this.#bodyBytesRead += n;
    if (this.#pos === this.#end) this.#release();
    if (this.#remaining > 0) return NEED_MORE;
    return this.#complete(body.take());
  }

  /** Reads `chunk-size [ chunk-ext ] CRLF`. False when more bytes are needed or it failed. */
  #readChunkSize(): boolean {
    const buf = this.#buf;
    const pos = this.#pos;
    let lf = buf.indexOf(LF, pos);
    if (lf >= this.#end) lf = -1;
    if (lf === -1) {
      if (this.#end - pos > MAX_CHUNK_LINE_BYTES) this.#fail(400, 'chunk-size line too long');
      return false;
    }
    const cr = lf - 1;
    if (lf - pos > MAX_CHUNK_LINE_BYTES) {
      this.#fail(400, 'chunk-size line too long');
      return false;
    }
    if (lf === pos || buf[cr] !== CR) {
      this.#fail(400, 'bare LF in a chunk-size line');
      return false;
    }
    let p = pos;
    let size = 0;
    let digit = HEX[buf[p] as number] as number;
    while (digit !== 255) {
      size = size * 16 + digit;
      digit = HEX[buf[++p] as number] as number;
    }
    if (p === pos) {
      this.#fail(400, 'malformed chunk size');
      return false;
    }
    if (p - pos > MAX_CHUNK_SIZE_DIGITS) {
      this.#fail(400, 'chunk size overflow');
      return false;
    }
    if (p !== cr && !validChunkExtensions(buf, p, cr)) {
      this.#fail(400, 'malformed chunk extension');
      return false;
    }
    this.#pos = lf + 1;
    if (size === 0) {
      this.#trailerBytes = 0;
      this.#state = S_TRAILERS;
      return true;
    }
    this.#chunkTotal += size;
    if (this.#chunkTotal > this.#bodyMax) {
      this.#fail(413, 'chunked body larger than max_body_size');
      return false;
    }
    this.#remaining = size;
    this.#state = S_CHUNK_DATA;
    return true;
  }

  #readChunkData(): boolean {
    const available = this.#end - this.#pos;
    if (available === 0) return false;
    const n = Math.min(available, this.#remaining);
    const body = this.#ownBodyBuffer();
    const capacity = body.capacityFor(n, this.#bodyCap);
    if (capacity !== body.capacity) {
      // A chunked body has no declared size: it takes from the budget as its buffer grows.
      const extra = capacity - body.capacity;
      if (!this.#budget.tryReserve(extra)) {
        this.#fail(503, 'bodies in progress hold max_body_buffer_total');
        return false;
      }
      this.#reserved += extra;
      body.grow(capacity);
    }
    body.append(this.#buf, this.#pos, this.#pos + n);
    this.#pos += n;
    this.#remaining -= n;
    this.#bodyBytesRead += n;
    if (this.#remaining > 0) {
      if (this.#pos === this.#end) this.#release();
      return false;
    }
    this.#state = S_CHUNK_DATA_END;
    return true;
  }

  #readChunkDataEnd(): boolean {
    const available = this.#end - this.#pos;
    if (available === 0) return false;
    if (this.#buf[this.#pos] !== CR) {
      this.#fail(400, 'chunk data not followed by CRLF');
      return false;
    }
    if (available === 1) return false;
    if (this.#buf[this.#pos + 1] !== LF) {
      this.#fail(400, 'chunk data not followed by CRLF');
      return false;
    }
    this.#pos += 2;
    this.#state = S_CHUNK_SIZE;
    return true;
  }

  /** Reads one trailer line; trailers are validated like header lines, then dropped. */
  #readTrailer(): ParseStep | -1 {
    const buf = this.#buf;
    const pos = this.#pos;
    let lf = buf.indexOf(LF, pos);
    if (lf >= this.#end) lf = -1;
    if (lf === -1) {
      if (this.#trailerBytes + this.#end - pos > this.#limits.maxHeaderBytes) {
        return this.#fail(431, 'trailer section larger than max_header_size');
      }
      return NEED_MORE;
    }
    if (lf === pos || buf[lf - 1] !== CR) return this.#fail(400, 'bare LF in the trailer section');
    this.#trailerBytes += lf + 1 - pos;
    if (this.#trailerBytes > this.#limits.maxHeaderBytes) {
      return this.#fail(431, 'trailer section larger than max_header_size');
    }
    const cr = lf - 1;
    this.#pos = lf + 1;
    if (cr === pos)
      return this.#isStreaming ? this.#endStream() : this.#complete(this.#ownBodyBuffer().take());
    let p = pos;
    while (TOKEN[buf[p] as number] === 1) p++;
    if (p === pos || buf[p] !== COLON) return this.#fail(400, 'invalid trailer field');
    for (p++; p < cr; p++) {
      if (FIELD_VALUE[buf[p] as number] !== 1) return this.#fail(400, 'invalid byte in a trailer field');
    }
    return -1;
  }

  /**
   * A head whose body streams: `REQUEST` now, with no body and nothing reserved from the
   * budget (a streamed body is never held whole); its bytes follow as `BODY_PIECE`s.
   */
  #startStream(bodyStart: number, contentLength: number): ParseStep {
    this.#pos = bodyStart;
    this.#bodyBytesRead = 0;
    this.#isStreaming = true;
    this.#body = null;
    if (contentLength >= 0) {
      this.#remaining = contentLength;
      this.#state = S_BODY_LENGTH;
    } else {
      this.#chunkTotal = 0;
      this.#state = S_CHUNK_SIZE;
    }
    if (this.#pos === this.#end) this.#release();
    return REQUEST;
  }

  /** The next piece of a streamed chunked body: as much of the current chunk as has arrived. */
  #readChunkPiece(): ParseStep {
    const available = this.#end - this.#pos;
    if (available === 0) return NEED_MORE;
    const n = Math.min(available, this.#remaining);
    this.#piece = this.#take(n);
    this.#remaining -= n;
    this.#bodyBytesRead += n;
    if (this.#remaining === 0) this.#state = S_CHUNK_DATA_END;
    if (this.#pos === this.#end) this.#release();
    return BODY_PIECE;
  }

  #endStream(): ParseStep {
    this.#isStreaming = false;
    this.#piece = EMPTY;
    this.#state = S_HEAD;
    if (this.#pos === this.#end) this.#release();
    return BODY_END;
  }

  /** The next `length` bytes: a view of them, or a copy while they are borrowed. */
  #take(length: number): Buffer {
    const start = this.#pos;
    this.#pos = start + length;
    if (!this.#isBorrowed) return this.#buf.subarray(start, start + length);
    // Exactly its size: a body held by a handler keeps no shared pool slab alive.
    const body = Buffer.allocUnsafeSlow(length);
    this.#buf.copy(body, 0, start, start + length);
    return body;
  }

  #complete(body: Buffer | null): ParseStep {
    this.#body = body;
    this.#state = S_HEAD;
    if (this.#pos === this.#end) this.#release();
    return REQUEST;
  }

  /** Drops the reference to a fully consumed buffer (and the string decoded from it). */
  #release(): void {
    this.#buf = EMPTY;
    this.#pos = 0;
    this.#end = 0;
    this.#isOwned = false;
    this.#isBorrowed = false;
    this.#text = '';
    this.#textBuf = EMPTY;
  }

  #fail(status: number, reason: string): typeof FAILED {
    this.#state = S_FAILED;
    this.#isStreaming = false;
    this.#piece = EMPTY;
    this.#errorStatus = status;
    this.#errorReason = reason;
    this.#release();
    this.#bodyBuffer?.clear();
    this.#releaseReservation();
    return FAILED;
  }

  /**
   * The connection is gone: what the parser holds is dropped and its budget returned. A
   * completed body's reservation was handed over by {@link takeReservation} and is not here.
   */
  dispose(): void {
    this.#release();
    this.#bodyBuffer?.clear();
    this.#releaseReservation();
  }

  /**
   * Drops what only speeds up later requests (the last head, target and header values, the
   * copy of a repeated head, the body buffer) while nothing is buffered: a connection idle
   * between requests then holds little. The next request is parsed in full.
   */
  trim(): void {
    if (this.#head === null || this.#state !== S_HEAD || this.#end > this.#pos) return;
    this.#head = null;
    this.#body = null;
    this.#bodyBuffer = null;
    this.#repeatedHead = null;
    this.#repeatedWords = null;
    this.#repeatedLength = 0;
    this.#headMisses = 0;
    this.#hasReadHead = false;
  }

  #ownBodyBuffer(): BodyBuffer {
    this.#bodyBuffer ??= new BodyBuffer();
    return this.#bodyBuffer;
  }

  #releaseReservation(): void {
    if (this.#reserved === 0) return;
    this.#budget.release(this.#reserved);
    this.#reserved = 0;
  }

  #failLine(status: number, reason: string): -1 {
    this.#fail(status, reason);
    return -1;
  }
}

/** Scratch result of the request-line parse. */
class RequestLineOut {
  method = '';
  target = '';
  path = '';
  query = '';
  versionMinor: 0 | 1 = 1;
  authority: string | null = null;
}

/**
 * Scratch for the request line being parsed, and for the Transfer-Encoding list of the head
 * being parsed: shared by every parser (a head is parsed in one synchronous call, and their
 * fields are copied into the head), so a connection carries neither.
 */
const LINE = new RequestLineOut();
const TRANSFER_CODINGS = new TransferCodings();

/** What the framing fields of the head being parsed said; shared scratch like {@link LINE}. */
class FramingFields {
  host: string | null = null;
  hostCount = 0;
  contentLength = -1;
  hasTransferEncoding = false;
  isClose = false;
  isKeepAlive = false;
  expectsContinue = false;
  hasBadExpect = false;

  reset(): void {
    this.host = null;
    this.hostCount = 0;
    this.contentLength = -1;
    this.hasTransferEncoding = false;
    this.isClose = false;
    this.isKeepAlive = false;
    this.expectsContinue = false;
    this.hasBadExpect = false;
  }
}
const FIELDS = new FramingFields();

/**
 * A request line as the byte loop of `#parseRequestLine` accepts it: `token SP target SP
 * HTTP/d.d CRLF`, the target being visible ASCII (the TARGET table). Sticky, tested at the
 * head's start; a line it refuses goes to the byte loop, which names what is wrong.
 */
const REQUEST_LINE = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+ [\x21-\x7e]+ HTTP\/[0-9]\.[0-9]\r\n/y;

/**
 * The header lines of a head and its empty line, as the byte-by-byte reader accepts them:
 * `token ":" *field-value-byte CRLF` (RFC 9110 §5.1, §5.5; field-value bytes are HTAB, SP,
 * VCHAR and obs-text). Sticky: tested from the first header line; a match must end where
 * the head ends. Linear: each part's bytes exclude the next part's first byte. About 12.5
 * instructions a byte; a check of four bytes a step in JavaScript measured dearer on V8 11
 * (docs/transport.md, "How a head is parsed").
 */
const FIELD_LINES = /(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*\r\n)*\r\n/y;

/** Whether every head goes to the byte-wise readers (see {@link readHeadsByteWise}). */
let isByteWiseOnly = false;

/**
 * Makes every parser read request lines and header lines with the byte-wise readers only
 * (true), or with the fast paths first (false, the default). Internal: for the test that
 * compares the two on generated heads; the package index does not export it.
 */
export function readHeadsByteWise(on: boolean): void {
  isByteWiseOnly = on;
}

/**
 * Where `CRLFCRLF` starts in `buf[from, end)`, or -1. Hot: short inputs are scanned here,
 * looking at every fourth byte while it is neither CR nor LF; long ones by `indexOf`.
 */
function findHeadEnd(buf: Buffer, from: number, end: number): number {
  if (end - from > SHORT_SCAN_BYTES) {
    const found = buf.indexOf(CRLFCRLF, from);
    return found === -1 || found + 4 > end ? -1 : found;
  }
  let i = from + 3;
  while (i < end) {
    const b = buf[i] as number;
    if (b === LF) {
      if (buf[i - 1] === CR && buf[i - 2] === LF && buf[i - 3] === CR) return i - 3;
      i++;
    } else if (b === CR) {
      i++;
    } else {
      i += 4;
    }
  }
  return -1;
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

/** Case-insensitive comparison of `buf[start, end)` with a lower-case ASCII word. */
function equalsLower(buf: Buffer, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) {
    if (LOWER[buf[start + i] as number] !== word.charCodeAt(i)) return false;
  }
  return true;
}

const CONNECTION_CLOSE = 1;
const CONNECTION_KEEP_ALIVE = 2;

/** The `close` and `keep-alive` options of a Connection value (a comma list, RFC 9110 §7.6.1). */
function connectionOptions(value: string): number {
  const lower = value.toLowerCase();
  if (lower === 'close') return CONNECTION_CLOSE;
  if (lower === 'keep-alive') return CONNECTION_KEEP_ALIVE;
  let options = 0;
  for (const part of lower.split(',')) {
    const option = part.trim();
    if (option === 'close') options |= CONNECTION_CLOSE;
    else if (option === 'keep-alive') options |= CONNECTION_KEEP_ALIVE;
  }
  return options;
}

/**
 * `http://authority/path?query` (RFC 9112 §3.2.2). The authority must be non-empty and carry
 * no userinfo (RFC 9110 §4.2.4 forbids it in http(s) URIs).
 */
function parseAbsoluteForm(target: string, out: RequestLineOut): boolean {
  const lower = target.slice(0, 8).toLowerCase();
  let at: number;
  if (lower.startsWith('http://')) at = 7;
  else if (lower === 'https://') at = 8;
  else return false;
  let authorityEnd = at;
  while (authorityEnd < target.length) {
    const c = target.charCodeAt(authorityEnd);
    if (c === 0x2f || c === 0x3f) break;
    if (HOST[c] !== 1) return false;
    authorityEnd++;
  }
  if (authorityEnd === at) return false;
  out.authority = target.slice(at, authorityEnd);
  const rest = target.slice(authorityEnd);
  const queryAt = rest.indexOf('?');
  const path = queryAt === -1 ? rest : rest.slice(0, queryAt);
  out.path = path === '' ? '/' : path;
  out.query = queryAt === -1 ? '' : rest.slice(queryAt + 1);
  return true;
}

/** `*( ";" token [ "=" ( token / quoted-string ) ] )` in `buf[p, end)`, without whitespace. */
function validChunkExtensions(buf: Buffer, start: number, end: number): boolean {
  let p = start;
  while (p < end) {
    if (buf[p] !== 0x3b /* ; */) return false;
    const nameStart = ++p;
    while (p < end && TOKEN[buf[p] as number] === 1) p++;
    if (p === nameStart) return false;
    if (p === end || buf[p] !== 0x3d /* = */) continue;
    p++;
    if (buf[p] === 0x22 /* " */) {
      p = quotedStringEnd(buf, p, end);
      if (p === -1) return false;
    } else {
      const valueStart = p;
      while (p < end && TOKEN[buf[p] as number] === 1) p++;
      if (p === valueStart) return false;
    }
  }
  return true;
}
