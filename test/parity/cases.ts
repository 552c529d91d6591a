import { ALLOWED_ORIGIN } from './parity-app.js';

/**
 * The shared request/response cases: every runtime sends these and must give the same
 * answer. A structured case can be sent by any runtime; a raw case is bytes on the wire, sent
 * as they are to whatever parses them (our transport, or the host server of an adapter).
 */

/** The runtimes the parity suite compares; `in-memory` is the reference. */
export const RUNTIMES = ['in-memory', 'tcp', 'node adapter', 'fetch adapter'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

interface CaseBase {
  readonly name: string;
  /** The status the reference must give (omitted where it is not the point of the case). */
  readonly status?: number;
  /**
   * Runtimes whose answer differs from the reference, for a reason docs/testing.md gives in
   * its table "What differs between runtimes and why" (the test checks both list the same
   * pairs, and that each listed difference still shows).
   */
  readonly differsOn?: readonly RuntimeName[];
}

export interface StructuredCase extends CaseBase {
  readonly method: string;
  readonly path: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string;
  /** The `server` entry (index) the request arrives on; default the first. */
  readonly listener?: number;
}

export interface RawCase extends CaseBase {
  readonly raw: string;
  /** How many responses the bytes ask for (pipelined requests); default 1. */
  readonly responses?: number;
}

export type ParityCase = StructuredCase | RawCase;

export function isRaw(c: ParityCase): c is RawCase {
  return 'raw' in c;
}

/** Where a server entry is not the first: adapters have no listeners, their host does. */
const NO_LISTENERS: readonly RuntimeName[] = ['node adapter', 'fetch adapter'];
/** Bytes the host server parses (node:http under both adapters) before an adapter sees them. */
const HOST_PARSES: readonly RuntimeName[] = ['node adapter', 'fetch adapter'];

const json = (value: unknown): Pick<StructuredCase, 'headers' | 'body'> => ({
  headers: [['Content-Type', 'application/json']],
  body: JSON.stringify(value),
});

export const CASES: readonly ParityCase[] = [
  { name: 'text', method: 'GET', path: '/parity/text', status: 200 },
  { name: 'JSON object', method: 'GET', path: '/parity/json', status: 200 },
  { name: 'undefined is 204', method: 'GET', path: '/parity/empty', status: 204 },
  { name: 'Response with status, headers, cookie', method: 'GET', path: '/parity/created', status: 201 },
  { name: 'Redirect', method: 'GET', path: '/parity/redirect', status: 303 },
  { name: 'Dynamic content type', method: 'GET', path: '/parity/dynamic', status: 200 },
  {
    name: 'typed param and query',
    method: 'GET',
    path: '/parity/items/42?verbose=true&tag=a&tag=b',
    status: 200,
  },
  { name: 'bad int param', method: 'GET', path: '/parity/items/forty-two', status: 404 },
  {
    name: 'fragment dropped before routing',
    method: 'GET',
    path: '/parity/items/42?verbose=true#tag=c',
    status: 200,
  },
  {
    name: 'POST JSON body',
    method: 'POST',
    path: '/parity/echo',
    ...json({ user: 'ada', n: [1, 2] }),
    status: 200,
  },
  {
    name: 'POST form body',
    method: 'POST',
    path: '/parity/echo',
    headers: [['Content-Type', 'application/x-www-form-urlencoded']],
    body: 'a=1&b=two+words',
    status: 200,
  },
  {
    name: 'PUT text body',
    method: 'PUT',
    path: '/parity/echo',
    headers: [['Content-Type', 'text/plain']],
    body: 'héllo',
    status: 200,
  },
  {
    name: 'POST malformed JSON',
    method: 'POST',
    path: '/parity/echo',
    headers: [['Content-Type', 'application/json']],
    body: '{"a":',
    status: 400,
  },
  { name: 'HEAD of a GET route', method: 'HEAD', path: '/parity/text', status: 200 },
  { name: 'OPTIONS', method: 'OPTIONS', path: '/parity/text' },
  { name: 'unknown path', method: 'GET', path: '/parity/missing', status: 404 },
  { name: 'method not allowed', method: 'DELETE', path: '/parity/text', status: 405 },
  { name: 'HttpError', method: 'GET', path: '/parity/teapot', status: 418 },
  { name: 'handler throws', method: 'GET', path: '/parity/fail', status: 500 },
  {
    name: 'gzip when accepted',
    method: 'GET',
    path: '/parity/long',
    headers: [['Accept-Encoding', 'gzip']],
    status: 200,
  },
  {
    name: 'br preferred by q-value',
    method: 'GET',
    path: '/parity/long',
    headers: [['Accept-Encoding', 'gzip;q=0.5, br']],
  },
  { name: 'chunked StreamResponse', method: 'GET', path: '/parity/stream', status: 200 },
  { name: 'offloaded: text from a worker', method: 'GET', path: '/parity/offload/text', status: 200 },
  { name: 'offloaded: typed parameter, JSON', method: 'GET', path: '/parity/offload/square/12', status: 200 },
  { name: 'offloaded: HttpError with details', method: 'GET', path: '/parity/offload/teapot', status: 418 },
  { name: 'offloaded: StreamResponse', method: 'GET', path: '/parity/offload/stream', status: 200 },
  {
    name: 'offloaded: Response with status and header',
    method: 'GET',
    path: '/parity/offload/created',
    status: 201,
  },
  {
    name: 'offloaded: CORS fields from the main thread',
    method: 'GET',
    path: '/parity/offload/text',
    headers: [['Origin', ALLOWED_ORIGIN]],
    status: 200,
  },
  { name: 'offloaded: HEAD', method: 'HEAD', path: '/parity/offload/text', status: 200 },
  { name: 'HEAD of a stream', method: 'HEAD', path: '/parity/stream', status: 200 },
  {
    name: 'server-sent events',
    method: 'GET',
    path: '/parity/events',
    headers: [['Accept', 'text/event-stream']],
    status: 200,
  },
  { name: 'whole file', method: 'GET', path: '/parity/file', status: 200 },
  {
    name: 'one range',
    method: 'GET',
    path: '/parity/file',
    headers: [['Range', 'bytes=10-19']],
    status: 206,
  },
  {
    name: 'suffix range',
    method: 'GET',
    path: '/parity/file',
    headers: [['Range', 'bytes=-5']],
    status: 206,
  },
  {
    name: 'two ranges',
    method: 'GET',
    path: '/parity/file',
    headers: [['Range', 'bytes=0-1,-2']],
    status: 206,
  },
  {
    name: 'unsatisfiable range',
    method: 'GET',
    path: '/parity/file',
    headers: [['Range', 'bytes=5000-']],
    status: 416,
  },
  { name: 'HEAD of a file', method: 'HEAD', path: '/parity/file', status: 200 },
  { name: 'global route', method: 'GET', path: '/parity/where', status: 200 },
  {
    name: 'domain route by Host',
    method: 'GET',
    path: '/parity/where',
    headers: [['Host', 'Example.COM:8080']],
    status: 200,
  },
  { name: 'route bound to 127.0.0.1', method: 'GET', path: '/parity/local', status: 200 },
  {
    name: 'body over max_body_size',
    method: 'POST',
    path: '/parity/echo',
    body: 'x'.repeat(5000),
    status: 413,
  },
  {
    name: 'head over max_header_size',
    method: 'GET',
    path: '/parity/text',
    headers: [['X-Big', 'y'.repeat(3000)]],
    status: 431,
    differsOn: HOST_PARSES,
  },
  { name: 'HTTP/1.0 request', raw: 'GET /parity/text HTTP/1.0\r\n\r\n', status: 200 },
  {
    name: 'HTTP/1.2 request, served as 1.1',
    raw: 'GET /parity/text HTTP/1.2\r\nHost: a\r\nConnection: close\r\n\r\n',
    status: 200,
    differsOn: HOST_PARSES,
  },
  {
    name: 'pipelined requests',
    raw:
      'GET /parity/text HTTP/1.1\r\nHost: a\r\n\r\n' +
      'GET /parity/missing HTTP/1.1\r\nHost: a\r\n\r\n' +
      'GET /parity/json HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    responses: 3,
    status: 200,
  },
  {
    name: 'chunked request body',
    raw:
      'POST /parity/echo HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
      '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
    status: 200,
  },
  { name: 'garbage request line', raw: 'GARBAGE\r\n\r\n', status: 400, differsOn: HOST_PARSES },
  {
    name: 'unknown HTTP version',
    raw: 'GET /parity/text HTTP/9.9\r\nHost: a\r\n\r\n',
    status: 505,
    differsOn: HOST_PARSES,
  },
  {
    name: 'missing Host in HTTP/1.1',
    raw: 'GET /parity/text HTTP/1.1\r\nConnection: close\r\n\r\n',
    status: 400,
    differsOn: HOST_PARSES,
  },
  {
    name: 'Content-Length with Transfer-Encoding',
    raw: 'POST /parity/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n',
    status: 400,
    differsOn: HOST_PARSES,
  },
  {
    name: 'Transfer-Encoding other than a single chunked',
    raw: 'POST /parity/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n',
    status: 501,
    differsOn: HOST_PARSES,
  },
  {
    name: 'chunked body over max_body_size',
    raw:
      'POST /parity/echo HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
      `1000\r\n${'x'.repeat(4096)}\r\n1\r\ny\r\n0\r\n\r\n`,
    status: 413,
  },

  // Responses of the error family.
  { name: 'unknown method', method: 'PROPFIND', path: '/parity/text', status: 501 },
  { name: 'HEAD of an unknown path', method: 'HEAD', path: '/parity/missing', status: 404 },
  { name: 'error page for 404', method: 'GET', path: '/parity/paged/missing', status: 404 },
  { name: 'error page for 500', method: 'GET', path: '/parity/paged/fail', status: 500 },
  { name: 'method not allowed under an error page', method: 'POST', path: '/parity/paged/fail', status: 405 },

  // Files.
  { name: 'loadFile as Dynamic', method: 'GET', path: '/parity/loaded', status: 200 },
  { name: 'file not found', method: 'GET', path: '/parity/no-such-file', status: 404 },
  { name: 'file path outside the root', method: 'GET', path: '/parity/outside', status: 403 },
  {
    name: 'conditional GET of a file',
    method: 'GET',
    path: '/parity/file',
    headers: [['If-Modified-Since', 'Tue, 02 Jan 2024 03:04:05 GMT']],
    status: 304,
  },
  {
    name: 'If-Range that no longer matches',
    method: 'GET',
    path: '/parity/file',
    headers: [
      ['Range', 'bytes=0-9'],
      ['If-Range', '"stale"'],
    ],
    status: 200,
  },

  // Compression.
  { name: 'no compression when not accepted', method: 'GET', path: '/parity/long', status: 200 },
  {
    name: 'HEAD of a compressed body',
    method: 'HEAD',
    path: '/parity/long',
    headers: [['Accept-Encoding', 'gzip']],
    status: 200,
  },

  // CORS.
  {
    name: 'CORS preflight',
    method: 'OPTIONS',
    path: '/parity/echo',
    headers: [
      ['Origin', ALLOWED_ORIGIN],
      ['Access-Control-Request-Method', 'POST'],
      ['Access-Control-Request-Headers', 'content-type'],
    ],
    status: 204,
  },
  {
    name: 'CORS simple request',
    method: 'GET',
    path: '/parity/created',
    headers: [['Origin', ALLOWED_ORIGIN]],
    status: 201,
  },
  {
    name: 'CORS on an error',
    method: 'GET',
    path: '/parity/missing',
    headers: [['Origin', ALLOWED_ORIGIN]],
    status: 404,
  },
  {
    name: 'CORS origin not allowed',
    method: 'GET',
    path: '/parity/text',
    headers: [['Origin', 'https://evil.example']],
    status: 200,
  },

  // Listeners: the request arrives on the second (max_body_size 10) or third (https-redirect).
  {
    name: "body within the second listener's max_body_size",
    method: 'POST',
    path: '/parity/echo',
    headers: [['Content-Type', 'text/plain']],
    body: 'tiny',
    listener: 1,
    status: 200,
  },
  {
    name: "body over the second listener's max_body_size",
    method: 'POST',
    path: '/parity/echo',
    headers: [['Content-Type', 'text/plain']],
    body: 'x'.repeat(100),
    listener: 1,
    status: 413,
    differsOn: NO_LISTENERS,
  },
  {
    name: 'https-redirect of the third listener',
    method: 'GET',
    path: '/parity/text?a=1',
    listener: 2,
    status: 301,
    differsOn: NO_LISTENERS,
  },
  {
    name: "https-redirect's escape path",
    method: 'GET',
    path: '/parity/json',
    listener: 2,
    status: 200,
  },
];

/**
 * The bytes of a structured case: request line, Host (unless the case sets one), the case's
 * headers, Content-Length for a body, and `Connection: close`, so every answer ends with the
 * connection and can be read to the end on any transport.
 */
export function requestBytes(c: StructuredCase): Buffer {
  const headers = c.headers ?? [];
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  let head = `${c.method} ${c.path} HTTP/1.1\r\n`;
  if (!has('host')) head += 'Host: localhost\r\n';
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  const body = c.body === undefined ? null : Buffer.from(c.body, 'utf8');
  if (body !== null) head += `Content-Length: ${body.length}\r\n`;
  head += 'Connection: close\r\n\r\n';
  return body === null ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
