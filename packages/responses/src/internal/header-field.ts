import { ResponsesError } from '../errors.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Field values: visible ASCII, space, tab and obs-text; no CR, LF, NUL (RFC 9110 §5.5). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Framing is the transport's job: a second Content-Length would split the response. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade']);

/** Headers as a record or as name/value pairs (pairs allow repeats such as Link). */
export type HeaderInit = Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;

/** Normalises {@link HeaderInit} to pairs. */
export function toPairs(init: HeaderInit | undefined): ReadonlyArray<readonly [string, string]> {
  if (init === undefined) return [];
  if (Array.isArray(init)) return init as ReadonlyArray<readonly [string, string]>;
  return Object.entries(init as Record<string, string>);
}

/**
 * One validated `Name: value\r\n` line.
 * @throws ResponsesError `BBWS_ERR_RESPONSE_HEADER`
 */
export function headerLineOf(name: string, value: string): string {
  if (typeof name !== 'string' || !TOKEN.test(name)) {
    throw new ResponsesError(
      'BBWS_ERR_RESPONSE_HEADER',
      `header name ${JSON.stringify(name)} is not a token`,
    );
  }
  if (typeof value !== 'string' || !FIELD_VALUE.test(value)) {
    throw new ResponsesError(
      'BBWS_ERR_RESPONSE_HEADER',
      `header ${name} has a control or non-Latin-1 character in its value ${JSON.stringify(value)}`,
    );
  }
  if (FRAMING.has(name.toLowerCase())) {
    throw new ResponsesError(
      'BBWS_ERR_RESPONSE_HEADER',
      `header ${name} is set by the transport (message framing) and cannot be set by a handler`,
    );
  }
  return `${name}: ${value}\r\n`;
}

/** Validated header lines for pairs; remembers whether a name was among them (lower-case). */
export function headerBlockOf(pairs: ReadonlyArray<readonly [string, string]>): string {
  let lines = '';
  for (const [name, value] of pairs) lines += headerLineOf(name, value);
  return lines;
}

/** Whether `pairs` holds a header `lowerName` (case-insensitive). */
export function hasHeader(pairs: ReadonlyArray<readonly [string, string]>, lowerName: string): boolean {
  for (const [name] of pairs) if (name.toLowerCase() === lowerName) return true;
  return false;
}

/**
 * A `Content-Type` line for a MIME type.
 * @throws ResponsesError `BBWS_ERR_MIME_TYPE_INVALID`
 */
export function contentTypeLineOf(mimeType: string): string {
  if (typeof mimeType !== 'string' || mimeType === '' || !FIELD_VALUE.test(mimeType)) {
    throw new ResponsesError(
      'BBWS_ERR_MIME_TYPE_INVALID',
      `MIME type ${JSON.stringify(mimeType)} is empty or holds a control character`,
    );
  }
  return `Content-Type: ${mimeType}\r\n`;
}
