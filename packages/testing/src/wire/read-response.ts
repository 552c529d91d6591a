import { TestingError } from '../errors.js';
import { isHttpToken } from '../internal/http-token.js';
import type { ByteReader } from './byte-reader.js';

/** Header fields in wire order, names lower-cased. */
export type HeaderList = ReadonlyArray<readonly [string, string]>;

/** The status line and header fields of a response. */
export interface ResponseHead {
  readonly status: number;
  readonly statusText: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly versionMinor: 0 | 1;
  /** Header fields in wire order, names lower-cased, values trimmed. */
  readonly headerList: HeaderList;
}

/** A response as read off the wire. */
export interface RawResponse extends ResponseHead {
  /** The body, with the transfer coding removed. */
  readonly body: Buffer;
  /** The body as it was framed: one entry per chunk of chunked coding, else one entry (or none). */
  readonly chunks: readonly Buffer[];
  /** Trailer fields of a chunked body, names lower-cased. */
  readonly trailerList: HeaderList;
}

/**
 * How the end of a body is found (RFC 9112 §6.3): no body, a byte count, chunked coding, or
 * the close of the connection.
 */
export type BodyFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' }
  | { readonly kind: 'close' };

const NO_BODY: BodyFraming = Object.freeze({ kind: 'none' });
const CHUNKED: BodyFraming = Object.freeze({ kind: 'chunked' });
const UNTIL_CLOSE: BodyFraming = Object.freeze({ kind: 'close' });
const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3}) ?([^\r\n]*)$/;
// RFC 9112 §7.1: chunk-size is hex, optionally followed by chunk extensions.
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,12})[ \t]*(?:;.*)?$/;

/**
 * The receive buffer of one stream: `buf` is what arrived and is not consumed yet. Reading
 * functions consume from it and store the remainder back on the ByteReader when they finish.
 */
class Wire {
  buf: Buffer;
  readonly #reader: ByteReader;

  constructor(reader: ByteReader) {
    this.#reader = reader;
    this.buf = reader.rest;
  }

  /** Appends the next chunk; false when the stream ended. */
  async more(): Promise<boolean> {
    const chunk = this.#reader.take() ?? (await this.#reader.next());
    if (chunk === null) return false;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    return true;
  }

  /** Consumes and returns one line without its CRLF. */
  async line(where: string): Promise<string> {
    let end = this.buf.indexOf(CRLF);
    while (end === -1) {
      if (!(await this.more())) throw closedEarly(where, this.buf.length);
      end = this.buf.indexOf(CRLF);
    }
    const line = this.buf.toString('latin1', 0, end);
    this.buf = this.buf.subarray(end + 2);
    return line;
  }

  /** Waits until at least `n` bytes are buffered. */
  async need(n: number, where: string): Promise<void> {
    while (this.buf.length < n) {
      if (!(await this.more())) throw closedEarly(where, this.buf.length);
    }
  }

  /**
   * Consumes `n` bytes. A view, not a copy: the stream handed these buffers over, and a
   * writer must not change a buffer after writing it.
   */
  take(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Stores what is left for the next response on this stream. */
  commit(): void {
    this.#reader.rest = this.buf;
  }
}

function closedEarly(where: string, buffered: number): TestingError {
  return new TestingError(
    'BBWS_ERR_TESTING_CONNECTION_CLOSED',
    `connection closed ${where} (${buffered} bytes buffered)`,
  );
}

function malformed(message: string): TestingError {
  return new TestingError('BBWS_ERR_TESTING_RESPONSE_MALFORMED', message);
}

/**
 * Reads a response head (status line and header fields). Strict: a malformed status line or
 * header field is an error, since the server under test must not write one.
 * @throws TestingError `BBWS_ERR_TESTING_RESPONSE_MALFORMED`, `BBWS_ERR_TESTING_CONNECTION_CLOSED`
 */
export async function readResponseHead(reader: ByteReader): Promise<ResponseHead> {
  const wire = new Wire(reader);
  const head = await readHead(wire);
  wire.commit();
  return head;
}

async function readHead(wire: Wire): Promise<ResponseHead> {
  let end = wire.buf.indexOf(CRLFCRLF);
  while (end === -1) {
    if (!(await wire.more())) throw closedEarly('before a complete response head', wire.buf.length);
    end = wire.buf.indexOf(CRLFCRLF);
  }
  const lines = wire.buf.toString('latin1', 0, end).split('\r\n');
  wire.buf = wire.buf.subarray(end + 4);
  const statusLine = STATUS_LINE.exec(lines[0] as string);
  if (statusLine === null) throw malformed(`malformed status line ${JSON.stringify(lines[0])}`);
  return {
    status: Number(statusLine[2]),
    statusText: statusLine[3] as string,
    versionMinor: statusLine[1] === '1' ? 1 : 0,
    headerList: parseFields(lines, 1),
  };
}

function parseFields(lines: readonly string[], from: number): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    if (colon <= 0 || !isHttpToken(name)) throw malformed(`malformed header field ${JSON.stringify(line)}`);
    fields.push([name.toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return fields;
}

/**
 * How the body of a response with `head` ends (RFC 9112 §6.3). `isHead` says the request was
 * HEAD, whose response carries no body whatever its headers say.
 * @throws TestingError `BBWS_ERR_TESTING_RESPONSE_MALFORMED` for framing a client cannot trust
 */
export function bodyFraming(head: ResponseHead, isHead: boolean): BodyFraming {
  const status = head.status;
  if (isHead || status === 204 || status === 304 || (status >= 100 && status < 200)) return NO_BODY;
  let transferEncoding: string | undefined;
  let contentLength: string | undefined;
  for (const [name, value] of head.headerList) {
    if (name === 'transfer-encoding') {
      transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
    } else if (name === 'content-length') {
      if (contentLength !== undefined && contentLength !== value)
        throw malformed(`differing Content-Length fields ${contentLength} and ${value}`);
      contentLength = value;
    }
  }
  if (transferEncoding !== undefined) {
    if (contentLength !== undefined)
      throw malformed('response has both Transfer-Encoding and Content-Length');
    const codings = transferEncoding.toLowerCase().split(',');
    return codings[codings.length - 1]?.trim() === 'chunked' ? CHUNKED : UNTIL_CLOSE;
  }
  if (contentLength !== undefined) {
    if (!/^\d{1,15}$/.test(contentLength)) throw malformed(`invalid Content-Length ${contentLength}`);
    return { kind: 'length', length: Number(contentLength) };
  }
  return UNTIL_CLOSE;
}

/**
 * Yields the body of a response as it arrives: each chunk of chunked coding once it is
 * complete, or each piece the stream delivers for other framings. Returns the trailer fields.
 * @throws TestingError `BBWS_ERR_TESTING_RESPONSE_MALFORMED`, `BBWS_ERR_TESTING_CONNECTION_CLOSED`
 */
export async function* readBody(
  reader: ByteReader,
  framing: BodyFraming,
): AsyncGenerator<Buffer, HeaderList> {
  const wire = new Wire(reader);
  switch (framing.kind) {
    case 'none':
      return [];
    case 'length': {
      let left = framing.length;
      while (left > 0) {
        if (wire.buf.length === 0 && !(await wire.more()))
          throw closedEarly(`after ${framing.length - left} of ${framing.length} body bytes`, 0);
        const piece = wire.take(Math.min(left, wire.buf.length));
        left -= piece.length;
        wire.commit();
        yield piece;
      }
      return [];
    }
    case 'close': {
      if (wire.buf.length > 0) yield wire.take(wire.buf.length);
      while (await wire.more()) yield wire.take(wire.buf.length);
      wire.commit();
      return [];
    }
    case 'chunked':
      return yield* readChunked(wire);
  }
}

async function* readChunked(wire: Wire): AsyncGenerator<Buffer, HeaderList> {
  for (;;) {
    const sizeLine = await wire.line('inside a chunk size line');
    const match = CHUNK_SIZE.exec(sizeLine);
    if (match === null) throw malformed(`invalid chunk size line ${JSON.stringify(sizeLine)}`);
    const size = Number.parseInt(match[1] as string, 16);
    if (size === 0) break;
    await wire.need(size + 2, 'inside a chunk');
    if (wire.buf[size] !== 13 || wire.buf[size + 1] !== 10)
      throw malformed(`chunk of ${size} bytes is not followed by CRLF`);
    const chunk = wire.take(size);
    wire.buf = wire.buf.subarray(2);
    wire.commit();
    yield chunk;
  }
  const trailers: string[] = [''];
  for (;;) {
    const line = await wire.line('inside the trailer section');
    if (line === '') break;
    trailers.push(line);
  }
  wire.commit();
  return parseFields(trailers, 1);
}

/**
 * Reads one complete HTTP/1.1 response (Content-Length, chunked, or until close). Bytes after
 * the response stay in `reader.rest` for the next read on a kept-alive stream.
 * @param isHead whether the request was HEAD (its response has no body)
 * @throws TestingError `BBWS_ERR_TESTING_RESPONSE_MALFORMED`, `BBWS_ERR_TESTING_CONNECTION_CLOSED`
 */
export async function readResponse(reader: ByteReader, isHead = false): Promise<RawResponse> {
  const wire = new Wire(reader);
  const head = await readHead(wire);
  const framing = bodyFraming(head, isHead);
  if (framing.kind === 'none') {
    wire.commit();
    return rawResponse(head, EMPTY, NO_CHUNKS, NO_FIELDS);
  }
  if (framing.kind === 'length') {
    // Fast path: the whole body is usually buffered already.
    await wire.need(framing.length, `after ${wire.buf.length} of ${framing.length} body bytes`);
    const body = wire.take(framing.length);
    wire.commit();
    return rawResponse(head, body, body.length === 0 ? NO_CHUNKS : [body], NO_FIELDS);
  }
  wire.commit();
  const chunks: Buffer[] = [];
  const body = readBody(reader, framing);
  for (;;) {
    const next = await body.next();
    if (next.done === true) {
      const joined = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      return rawResponse(
        head,
        joined,
        framing.kind === 'chunked' || joined.length === 0 ? chunks : [joined],
        next.value,
      );
    }
    chunks.push(next.value);
  }
}

const NO_CHUNKS: readonly Buffer[] = Object.freeze([]);
const NO_FIELDS: HeaderList = Object.freeze([]);

/** One object shape for every response. */
function rawResponse(
  head: ResponseHead,
  body: Buffer,
  chunks: readonly Buffer[],
  trailerList: HeaderList,
): RawResponse {
  return {
    status: head.status,
    statusText: head.statusText,
    versionMinor: head.versionMinor,
    headerList: head.headerList,
    body,
    chunks,
    trailerList,
  };
}
