/**
 * The shared request/response cases: every transport sends these and must give the same
 * answer. A structured case can be sent by any transport (a byte transport serializes it with
 * `requestBytes`; an adapter runtime would build a request object from it). A raw case is
 * bytes on the wire, so only byte transports (in-memory, TCP) run it.
 */
export interface StructuredCase {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string;
  /** The status every transport must give (omitted where behaviour is still being built). */
  readonly status?: number;
  /**
   * Behaviour our transport owns and a host server decides for itself under the adapter
   * runtime (limits on the request head, say): message-level transports skip the case.
   */
  readonly isTransportOwned?: boolean;
}

export interface RawCase {
  readonly name: string;
  readonly raw: string;
  readonly status?: number;
}

export type ParityCase = StructuredCase | RawCase;

export function isRaw(c: ParityCase): c is RawCase {
  return 'raw' in c;
}

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
    isTransportOwned: true,
  },
  { name: 'HTTP/1.0 request', raw: 'GET /parity/text HTTP/1.0\r\n\r\n', status: 200 },
  {
    name: 'HTTP/1.2 request, served as 1.1',
    raw: 'GET /parity/text HTTP/1.2\r\nHost: a\r\nConnection: close\r\n\r\n',
    status: 200,
  },
  {
    name: 'pipelined requests',
    raw:
      'GET /parity/text HTTP/1.1\r\nHost: a\r\n\r\n' +
      'GET /parity/missing HTTP/1.1\r\nHost: a\r\n\r\n' +
      'GET /parity/json HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    status: 200,
  },
  {
    name: 'chunked request body',
    raw:
      'POST /parity/echo HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
      '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
    status: 200,
  },
  { name: 'garbage request line', raw: 'GARBAGE\r\n\r\n', status: 400 },
  { name: 'unknown HTTP version', raw: 'GET /parity/text HTTP/9.9\r\nHost: a\r\n\r\n', status: 505 },
  {
    name: 'missing Host in HTTP/1.1',
    raw: 'GET /parity/text HTTP/1.1\r\nConnection: close\r\n\r\n',
    status: 400,
  },
  {
    name: 'Content-Length with Transfer-Encoding',
    raw: 'POST /parity/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n',
    status: 400,
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
