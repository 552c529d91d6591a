/**
 * A strict reader of what a server sends on one connection: every byte must belong to a
 * sequence of well-formed HTTP/1.1 responses (RFC 9112). Stricter than @bbws/testing's
 * readResponse, which tolerates whitespace and extensions in chunk-size lines and is built for
 * one response at a time; the drills feed it whole streams and count what is wrong.
 */

/** One response as read; `fields` in wire order, names lower-cased. */
export interface StrictResponse {
  readonly status: number;
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  /** Whether it said `Connection: close` (no byte may follow it). */
  readonly isClose: boolean;
}

/** What was wrong; `kind` is short and stable so figures can count by it. */
export interface ResponseProblem {
  readonly kind:
    | 'status-line'
    | 'field'
    | 'framing'
    | 'chunk'
    | 'after-close'
    | 'incomplete'
    | 'head-too-large';
  readonly detail: string;
}

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');
/** RFC 9112 §4: HTTP-version SP status-code SP [ reason-phrase ]; reason is HTAB / SP / VCHAR / obs-text. */
const STATUS_LINE = /^HTTP\/1\.1 ([1-5]\d\d) [\t\x20-\x7e\x80-\xff]*$/;
/** RFC 9112 §5: field-name ":" OWS field-value OWS; the value has no CTL but HTAB. */
const FIELD_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([\t\x20-\x7e\x80-\xff]*?)[ \t]*$/;
/** A chunk-size line as a server should write it: hex digits only (no whitespace, no extensions). */
const CHUNK_SIZE = /^[0-9A-Fa-f]{1,15}$/;
const DIGITS = /^\d{1,15}$/;
/** No server head the drills meet is near this; a larger one is a runaway. */
const MAX_HEAD_BYTES = 65_536;

type Framing =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' }
  | { readonly kind: 'close' };

interface Head {
  readonly status: number;
  readonly fields: Array<[string, string]>;
  readonly isClose: boolean;
  readonly framing: Framing;
}

/**
 * Feed it every chunk of one connection with {@link push}, then {@link end} when the
 * connection ended. Stops at the first problem: after a framing error no later byte can be
 * trusted.
 */
export class StrictResponseParser {
  #buf: Buffer = Buffer.alloc(0);
  #head: Head | null = null;
  /** Inside a chunked body: decoded chunks so far, and the trailer phase. */
  #chunks: Buffer[] = [];
  #isInTrailers = false;
  #sawClose = false;
  #problem: ResponseProblem | null = null;
  #count = 0;
  #finalCount = 0;
  #datelessCount = 0;

  /** The first problem, or null while every byte read so far was well-formed. */
  get problem(): ResponseProblem | null {
    return this.#problem;
  }

  /** Responses read, 1xx included. */
  get responseCount(): number {
    return this.#count;
  }

  /** Final (non-1xx) responses read. */
  get finalCount(): number {
    return this.#finalCount;
  }

  /** 2xx-4xx responses without a Date field (RFC 9110 §6.6.1 requires one). */
  get datelessCount(): number {
    return this.#datelessCount;
  }

  /** Whether the last complete response said `Connection: close`. */
  get sawClose(): boolean {
    return this.#sawClose;
  }

  /** Bytes received and not yet part of a complete response. */
  get pendingBytes(): number {
    return this.#buf.length;
  }

  /** Appends bytes; returns the responses they completed. */
  push(chunk: Buffer): StrictResponse[] {
    if (this.#problem !== null) return [];
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const out: StrictResponse[] = [];
    for (;;) {
      const response = this.#next();
      if (response === null) break;
      out.push(response);
    }
    return out;
  }

  /** The connection ended: a close-delimited body completes; anything else left is a problem. */
  end(): StrictResponse[] {
    if (this.#problem !== null) return [];
    const head = this.#head;
    if (head !== null && head.framing.kind === 'close') {
      const body = this.#buf;
      this.#buf = Buffer.alloc(0);
      return [this.#complete(head, body)];
    }
    if (this.#buf.length > 0 || head !== null) {
      this.#fail('incomplete', `connection ended inside a response (${this.#buf.length} bytes pending)`);
    }
    return [];
  }

  #next(): StrictResponse | null {
    if (this.#problem !== null || this.#buf.length === 0) return null;
    if (this.#head === null) {
      if (this.#sawClose) {
        this.#fail('after-close', `${this.#buf.length} bytes after a Connection: close response`);
        return null;
      }
      const head = this.#readHead();
      if (head === null) return null;
      this.#head = head;
    }
    const head = this.#head;
    switch (head.framing.kind) {
      case 'none':
        return this.#complete(head, Buffer.alloc(0));
      case 'length': {
        const length = head.framing.length;
        if (this.#buf.length < length) return null;
        const body = this.#buf.subarray(0, length);
        this.#buf = this.#buf.subarray(length);
        return this.#complete(head, body);
      }
      case 'chunked':
        return this.#readChunked(head);
      case 'close':
        return null;
    }
  }

  #readHead(): Head | null {
    const end = this.#buf.indexOf(CRLFCRLF);
    if (end === -1) {
      if (this.#buf.length > MAX_HEAD_BYTES)
        this.#fail('head-too-large', `${this.#buf.length} bytes, no end`);
      return null;
    }
    const text = this.#buf.toString('latin1', 0, end);
    this.#buf = this.#buf.subarray(end + 4);
    const lines = text.split('\r\n');
    const statusLine = lines[0] ?? '';
    const status = STATUS_LINE.exec(statusLine);
    if (status === null) return this.#fail('status-line', JSON.stringify(statusLine.slice(0, 80)));
    const code = Number(status[1]);
    const fields: Array<[string, string]> = [];
    for (const line of lines.slice(1)) {
      const field = FIELD_LINE.exec(line);
      if (field === null) return this.#fail('field', JSON.stringify(line.slice(0, 80)));
      fields.push([(field[1] as string).toLowerCase(), field[2] as string]);
    }
    const framing = this.#framingOf(code, fields);
    if (framing === null) return null;
    // RFC 9110 §6.6.1: an origin server with a clock MUST send Date in 2xx, 3xx and 4xx
    // responses. Counted, not fatal: the framing is still sound (node:http omits it on its own
    // error answers).
    if (code >= 200 && code < 500 && !fields.some(([name]) => name === 'date')) this.#datelessCount++;
    const isClose = fields.some(
      ([name, value]) =>
        name === 'connection' &&
        value
          .toLowerCase()
          .split(',')
          .some((token) => token.trim() === 'close'),
    );
    if (framing.kind === 'close' && !isClose) {
      return this.#fail(
        'framing',
        `${code} response without Content-Length or chunked on a kept-alive connection`,
      );
    }
    return { status: code, fields, isClose, framing };
  }

  /** RFC 9112 §6.3 with a server's duties: one length or chunked, none on 1xx and 204. */
  #framingOf(code: number, fields: ReadonlyArray<readonly [string, string]>): Framing | null {
    const lengths = fields.filter(([name]) => name === 'content-length').map(([, value]) => value);
    const codings = fields.filter(([name]) => name === 'transfer-encoding').map(([, value]) => value);
    const isBodiless = code < 200 || code === 204;
    if (isBodiless && (lengths.length > 0 || codings.length > 0)) {
      return this.#fail('framing', `${code} response with Content-Length or Transfer-Encoding`);
    }
    if (lengths.length > 0 && codings.length > 0) {
      return this.#fail('framing', 'both Content-Length and Transfer-Encoding');
    }
    if (lengths.length > 1) return this.#fail('framing', `${lengths.length} Content-Length fields`);
    if (codings.length > 1 || (codings.length === 1 && codings[0]?.toLowerCase() !== 'chunked')) {
      return this.#fail('framing', `Transfer-Encoding ${JSON.stringify(codings.join(', '))}`);
    }
    if (isBodiless || code === 304) return { kind: 'none' };
    if (codings.length === 1) return { kind: 'chunked' };
    const length = lengths[0];
    if (length !== undefined) {
      if (!DIGITS.test(length)) return this.#fail('framing', `Content-Length ${JSON.stringify(length)}`);
      return { kind: 'length', length: Number(length) };
    }
    return { kind: 'close' };
  }

  #readChunked(head: Head): StrictResponse | null {
    for (;;) {
      const lineEnd = this.#buf.indexOf(CRLF);
      if (lineEnd === -1) {
        if (this.#buf.length > MAX_HEAD_BYTES) this.#fail('chunk', 'chunk-size or trailer line too long');
        return null;
      }
      const line = this.#buf.toString('latin1', 0, lineEnd);
      if (this.#isInTrailers) {
        this.#buf = this.#buf.subarray(lineEnd + 2);
        if (line === '') {
          const body = Buffer.concat(this.#chunks);
          this.#chunks = [];
          this.#isInTrailers = false;
          return this.#complete(head, body);
        }
        if (!FIELD_LINE.test(line))
          return this.#fail('chunk', `trailer ${JSON.stringify(line.slice(0, 80))}`);
        continue;
      }
      if (!CHUNK_SIZE.test(line))
        return this.#fail('chunk', `chunk-size line ${JSON.stringify(line.slice(0, 40))}`);
      const size = Number.parseInt(line, 16);
      if (size === 0) {
        this.#buf = this.#buf.subarray(lineEnd + 2);
        this.#isInTrailers = true;
        continue;
      }
      const dataStart = lineEnd + 2;
      if (this.#buf.length < dataStart + size + 2) return null;
      if (this.#buf[dataStart + size] !== 13 || this.#buf[dataStart + size + 1] !== 10) {
        return this.#fail('chunk', `chunk of ${size} bytes not followed by CRLF`);
      }
      this.#chunks.push(this.#buf.subarray(dataStart, dataStart + size));
      this.#buf = this.#buf.subarray(dataStart + size + 2);
    }
  }

  #complete(head: Head, body: Buffer): StrictResponse {
    this.#head = null;
    this.#count++;
    if (head.status >= 200) {
      this.#finalCount++;
      this.#sawClose = head.isClose;
    }
    return { status: head.status, fields: head.fields, body, isClose: head.isClose };
  }

  #fail(kind: ResponseProblem['kind'], detail: string): null {
    this.#problem ??= { kind, detail };
    return null;
  }
}
