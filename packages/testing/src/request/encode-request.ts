import { TestingError } from '../errors.js';
import { isHttpToken } from '../internal/http-token.js';
import { encodeMultipart } from './multipart.js';
import type {
  FormInit,
  HeadersInit,
  QueryInit,
  QueryValue,
  RangeSpec,
  TestRequestOptions,
} from './test-request.js';

/** A request body and the Content-Type it implies (`null` for raw bytes). */
export interface EncodedBody {
  readonly body: Buffer | null;
  readonly contentType: string | null;
}

// Control characters other than HTAB could split or smuggle a field (RFC 9110 §5.5).
const FIELD_VALUE = /^[^\x00-\x08\x0a-\x1f\x7f]*$/;
// Anything the request line cannot carry: whitespace and control characters.
const BAD_TARGET = /[\x00-\x20\x7f]/;
const NO_BODY: EncodedBody = Object.freeze({ body: null, contentType: null });
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * The request-target: `path` with `query` appended.
 * @throws TestingError `BBWS_ERR_TESTING_REQUEST_TARGET` when the target has whitespace or control bytes
 */
export function requestTarget(path: string, query: QueryInit | undefined): string {
  let target = path;
  if (query !== undefined) {
    const qs = typeof query === 'string' ? query.replace(/^\?/, '') : toSearchParams(query).toString();
    if (qs !== '') target += `${path.includes('?') ? '&' : '?'}${qs}`;
  }
  if (target === '' || BAD_TARGET.test(target)) {
    throw new TestingError(
      'BBWS_ERR_TESTING_REQUEST_TARGET',
      `request target ${JSON.stringify(target)} is empty or has whitespace or control characters (use client.raw() for protocol tests)`,
    );
  }
  return target;
}

function toSearchParams(init: QueryInit | FormInit): URLSearchParams {
  if (init instanceof URLSearchParams) return init;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(init as Record<string, QueryValue | readonly QueryValue[]>)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value as readonly QueryValue[]) params.append(name, String(v));
    else params.append(name, String(value));
  }
  return params;
}

/**
 * The body of a request from whichever body option it has.
 * @throws TestingError `BBWS_ERR_TESTING_REQUEST_BODY` when more than one body option is set
 */
export function encodeBody(options: TestRequestOptions): EncodedBody | Promise<EncodedBody> {
  const given = (['body', 'json', 'form', 'multipart'] as const).filter((k) => options[k] !== undefined);
  if (given.length === 0) return NO_BODY;
  if (given.length > 1) {
    throw new TestingError(
      'BBWS_ERR_TESTING_REQUEST_BODY',
      `a request takes one body option, got ${given.join(', ')}`,
    );
  }
  if (options.body !== undefined) return { body: Buffer.from(options.body), contentType: null };
  if (options.json !== undefined) {
    const text = JSON.stringify(options.json);
    if (text === undefined) {
      throw new TestingError(
        'BBWS_ERR_TESTING_REQUEST_BODY',
        `json option ${String(options.json)} is not JSON`,
      );
    }
    return { body: Buffer.from(text, 'utf8'), contentType: JSON_TYPE };
  }
  if (options.form !== undefined) {
    return { body: Buffer.from(toSearchParams(options.form).toString(), 'latin1'), contentType: FORM_TYPE };
  }
  return encodeMultipart(options.multipart as NonNullable<TestRequestOptions['multipart']>).then((m) => ({
    body: m.body,
    contentType: m.contentType,
  }));
}

/** The value of a `Range` header. */
export function rangeValue(range: string | RangeSpec | readonly RangeSpec[]): string {
  if (typeof range === 'string') return range;
  const list: readonly RangeSpec[] = Array.isArray(range) ? range : [range as RangeSpec];
  const specs = list.map((r) => ('suffix' in r ? `-${r.suffix}` : `${r.start}-${r.end ?? ''}`));
  return `bytes=${specs.join(',')}`;
}

/**
 * Header fields as validated name/value pairs.
 * @throws TestingError `BBWS_ERR_TESTING_REQUEST_HEADER` for a name that is not a token or a
 * value with CR, LF or NUL
 */
export function headerPairs(init: HeadersInit | undefined): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (init === undefined) return pairs;
  if (Array.isArray(init)) {
    for (const [name, value] of init as ReadonlyArray<readonly [string, string]>) pairs.push([name, value]);
  } else {
    for (const [name, value] of Object.entries(init as Record<string, string | number | readonly string[]>)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value as readonly string[]) pairs.push([name, v]);
      else pairs.push([name, String(value)]);
    }
  }
  for (const [name, value] of pairs) checkField(name, value);
  return pairs;
}

/** @throws TestingError `BBWS_ERR_TESTING_REQUEST_HEADER` */
export function checkField(name: string, value: string): void {
  if (!isHttpToken(name)) {
    throw new TestingError(
      'BBWS_ERR_TESTING_REQUEST_HEADER',
      `header name ${JSON.stringify(name)} is not a token`,
    );
  }
  if (!FIELD_VALUE.test(value)) {
    throw new TestingError(
      'BBWS_ERR_TESTING_REQUEST_HEADER',
      `header ${name} has a control character in its value ${JSON.stringify(value)} (use client.raw() for protocol tests)`,
    );
  }
}

/** Whether `pairs` has a field called `name` (case-insensitive). */
export function hasField(pairs: ReadonlyArray<readonly [string, string]>, name: string): boolean {
  for (const [n] of pairs) if (n.length === name.length && n.toLowerCase() === name) return true;
  return false;
}

/** The request bytes: request line, fields in order, the blank line, the body. */
export function encodeMessage(
  method: string,
  target: string,
  fields: ReadonlyArray<readonly [string, string]>,
  body: Buffer | null,
): Buffer {
  let head = `${method} ${target} HTTP/1.1\r\n`;
  for (const [name, value] of fields) head += `${name}: ${value}\r\n`;
  head += '\r\n';
  // Header values may hold UTF-8 (obs-text on the wire); latin1 would mangle them.
  const headBytes = Buffer.from(head, 'utf8');
  return body === null || body.length === 0 ? headBytes : Buffer.concat([headBytes, body]);
}
