import { TestingError } from '../errors.js';

/**
 * A parsed `Content-Range` field (RFC 9110 §14.4). For an unsatisfiable range
 * (`bytes *\/1000`, sent with 416) `start` and `end` are `null`; `size` is `null` when the
 * server wrote `*` for it.
 */
export interface ContentRange {
  readonly unit: string;
  readonly start: number | null;
  /** Inclusive, as on the wire. */
  readonly end: number | null;
  readonly size: number | null;
}

/** One part of a `multipart/byteranges` body. */
export interface ByteRangePart {
  /** The part's Content-Type, `null` when it has none. */
  readonly contentType: string | null;
  readonly contentRange: ContentRange | null;
  readonly body: Buffer;
}

const CONTENT_RANGE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/;
const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');

/** Parses a Content-Range value; `null` when it is not one. */
export function parseContentRange(value: string | undefined): ContentRange | null {
  if (value === undefined) return null;
  const m = CONTENT_RANGE.exec(value.trim());
  if (m === null) return null;
  return {
    unit: m[1] as string,
    start: m[2] === undefined ? null : Number(m[2]),
    end: m[3] === undefined ? null : Number(m[3]),
    size: m[4] === '*' ? null : Number(m[4]),
  };
}

/**
 * Splits a `multipart/byteranges` body (RFC 9110 §14.6) into its parts.
 * @param contentType the response's Content-Type, which names the boundary
 * @throws TestingError `BBWS_ERR_TESTING_NOT_BYTERANGES` when the type is not multipart/byteranges
 * or the body does not follow it
 */
export function parseByteRanges(contentType: string | undefined, body: Buffer): ByteRangePart[] {
  const boundary = /^multipart\/byteranges\s*;.*\bboundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
  if (boundary === null) {
    throw new TestingError(
      'BBWS_ERR_TESTING_NOT_BYTERANGES',
      `Content-Type ${JSON.stringify(contentType)} is not multipart/byteranges with a boundary`,
    );
  }
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`, 'latin1');
  const nextDelimiter = Buffer.concat([CRLF, delimiter]);
  const parts: ByteRangePart[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const afterMark = at + delimiter.length;
    if (body[afterMark] === 45 && body[afterMark + 1] === 45) return parts; /* -- closes */
    const lineEnd = body.indexOf(CRLF, afterMark);
    if (lineEnd === -1) break;
    const headEnd = body[lineEnd + 2] === 13 ? lineEnd : body.indexOf(CRLFCRLF, lineEnd);
    if (headEnd === -1) break;
    const fields = body
      .toString('latin1', lineEnd + 2, headEnd)
      .split('\r\n')
      .filter((l) => l !== '');
    const field = (name: string) =>
      fields
        .find((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase() === name)
        ?.slice(name.length + 1)
        .trim();
    const contentStart = headEnd + 4;
    const end = body.indexOf(nextDelimiter, contentStart);
    if (end === -1) break;
    parts.push({
      contentType: field('content-type') ?? null,
      contentRange: parseContentRange(field('content-range')),
      body: Buffer.from(body.subarray(contentStart, end)),
    });
    at = end + 2;
  }
  throw new TestingError(
    'BBWS_ERR_TESTING_NOT_BYTERANGES',
    `multipart/byteranges body is truncated or malformed after ${parts.length} parts`,
  );
}
