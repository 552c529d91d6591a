import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { echoHandler, exchange, RawClient, startServer, type TestServer } from './support/servers.js';

// Every request a second parser could frame differently is answered 400 and the connection
// closed (RFC 9112 §11.2). Each case runs over a real socket.

let handled = 0;
let target: TestServer;
beforeAll(async () => {
  target = await startServer({
    handler: (request, sink) => {
      handled++;
      echoHandler(request, sink);
    },
  });
});
afterAll(() => target.stop());
beforeEach(() => {
  handled = 0;
});

const H = 'POST / HTTP/1.1\r\nHost: x\r\n';

const cases: Array<[string, string]> = [
  [
    'Content-Length and Transfer-Encoding',
    `${H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  ],
  [
    'Transfer-Encoding before Content-Length',
    `${H}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`,
  ],
  ['differing Content-Length', `${H}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`],
  ['repeated Content-Length', `${H}Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello`],
  ['Content-Length list', `${H}Content-Length: 5, 5\r\n\r\nhello`],
  ['Content-Length with a sign', `${H}Content-Length: +5\r\n\r\nhello`],
  ['negative Content-Length', `${H}Content-Length: -1\r\n\r\n`],
  ['hex Content-Length', `${H}Content-Length: 0x5\r\n\r\nhello`],
  ['Content-Length with inner space', `${H}Content-Length: 1 0\r\n\r\nhello12345`],
  ['empty Content-Length', `${H}Content-Length: \r\n\r\n`],
  ['Transfer-Encoding gzip', `${H}Transfer-Encoding: gzip\r\n\r\n`],
  ['Transfer-Encoding chunked, gzip (chunked not final)', `${H}Transfer-Encoding: chunked, gzip\r\n\r\n`],
  [
    'Transfer-Encoding chunked, then gzip on a second line',
    `${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n`,
  ],
  ['Transfer-Encoding chunked twice', `${H}Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n`],
  [
    'Transfer-Encoding on two lines',
    `${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  ],
  [
    'Transfer-Encoding chunked twice among others',
    `${H}Transfer-Encoding: chunked, gzip, chunked\r\n\r\n0\r\n\r\n`,
  ],
  ['Transfer-Encoding identity', `${H}Transfer-Encoding: identity\r\n\r\n`],
  ['Transfer-Encoding with parameters', `${H}Transfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n`],
  ['Transfer-Encoding with a trailing empty element', `${H}Transfer-Encoding: chunked,\r\n\r\n0\r\n\r\n`],
  ['Transfer-Encoding with a leading empty element', `${H}Transfer-Encoding: , chunked\r\n\r\n0\r\n\r\n`],
  [
    'Transfer-Encoding with an empty line',
    `${H}Transfer-Encoding:\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  ],
  ['Transfer-Encoding with a non-token coding', `${H}Transfer-Encoding: gzip/1, chunked\r\n\r\n0\r\n\r\n`],
  ['Transfer-Encoding codings without a comma', `${H}Transfer-Encoding: gzip chunked\r\n\r\n0\r\n\r\n`],
  [
    'Transfer-Encoding parameter without a value',
    `${H}Transfer-Encoding: gzip;level, chunked\r\n\r\n0\r\n\r\n`,
  ],
  [
    'Transfer-Encoding parameter with an unterminated quote',
    `${H}Transfer-Encoding: gzip;a="b, chunked\r\n\r\n0\r\n\r\n`,
  ],
  ['Transfer-Encoding in HTTP/1.0', 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
  [
    'Transfer-Encoding gzip, chunked in HTTP/1.0 (400, not 501)',
    'POST / HTTP/1.0\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
  ],
  [
    'Transfer-Encoding gzip, chunked with Content-Length (400, not 501)',
    `${H}Transfer-Encoding: gzip, chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`,
  ],
  ['obs-fold', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n'],
  ['obs-fold with a tab', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n'],
  ['whitespace before the colon', 'GET / HTTP/1.1\r\nHost : x\r\n\r\n'],
  ['tab before the colon', 'GET / HTTP/1.1\r\nHost\t: x\r\n\r\n'],
  ['space before Transfer-Encoding colon', `${H}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n`],
  ['bare CR in a value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n'],
  ['bare LF ending a header line', 'GET / HTTP/1.1\r\nHost: x\nX-A: b\r\n\r\n'],
  ['bare LF ending the request line', 'GET / HTTP/1.1\nHost: x\r\n\r\n'],
  ['bare LF only', 'GET / HTTP/1.1\nHost: x\n\n'],
  ['NUL in a value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n'],
  ['control byte in a value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n'],
  ['DEL in a value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x7fb\r\n\r\n'],
  ['non-token header name', 'GET / HTTP/1.1\r\nHost: x\r\nX(A): 1\r\n\r\n'],
  ['space inside a header name', 'GET / HTTP/1.1\r\nHost: x\r\nX A: 1\r\n\r\n'],
  ['empty header name', 'GET / HTTP/1.1\r\nHost: x\r\n: 1\r\n\r\n'],
  ['line without a colon', 'GET / HTTP/1.1\r\nHost: x\r\nXA\r\n\r\n'],
  ['non-hex chunk size', `${H}Transfer-Encoding: chunked\r\n\r\nz\r\n\r\n`],
  ['negative chunk size', `${H}Transfer-Encoding: chunked\r\n\r\n-1\r\n\r\n`],
  ['0x chunk size', `${H}Transfer-Encoding: chunked\r\n\r\n0x1\r\na\r\n0\r\n\r\n`],
  ['space after the chunk size', `${H}Transfer-Encoding: chunked\r\n\r\n1 \r\na\r\n0\r\n\r\n`],
  ['empty chunk size', `${H}Transfer-Encoding: chunked\r\n\r\n\r\na\r\n0\r\n\r\n`],
  ['chunk size overflow', `${H}Transfer-Encoding: chunked\r\n\r\n${'f'.repeat(17)}\r\na\r\n`],
  ['chunk size overflowing to zero', `${H}Transfer-Encoding: chunked\r\n\r\n10000000000000000\r\na\r\n`],
  ['bare LF after the chunk size', `${H}Transfer-Encoding: chunked\r\n\r\n1\na\r\n0\r\n\r\n`],
  ['empty chunk extension', `${H}Transfer-Encoding: chunked\r\n\r\n1;\r\na\r\n0\r\n\r\n`],
  ['chunk extension without a name', `${H}Transfer-Encoding: chunked\r\n\r\n1;=a\r\na\r\n0\r\n\r\n`],
  ['chunk extension with spaces', `${H}Transfer-Encoding: chunked\r\n\r\n1; a=b\r\na\r\n0\r\n\r\n`],
  ['unterminated quoted chunk extension', `${H}Transfer-Encoding: chunked\r\n\r\n1;a="b\r\na\r\n0\r\n\r\n`],
  ['chunk extension with a CTL', `${H}Transfer-Encoding: chunked\r\n\r\n1;a=\x01\r\na\r\n0\r\n\r\n`],
  ['chunk data longer than its size', `${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n`],
  ['bad trailer field', `${H}Transfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer: x\r\n\r\n`],
  ['missing Host in HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n'],
  ['missing Host in HTTP/1.2 (served as 1.1)', 'GET / HTTP/1.2\r\n\r\n'],
  ['repeated Host', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'],
  ['Host with a space', 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n'],
  ['Host with a slash', 'GET / HTTP/1.1\r\nHost: a/b\r\n\r\n'],
  ['two spaces in the request line', 'GET  / HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['tab in the request line', 'GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['missing version', 'GET /\r\nHost: x\r\n\r\n'],
  ['extra token after the version', 'GET / HTTP/1.1 x\r\nHost: x\r\n\r\n'],
  ['lower-case version', 'GET / http/1.1\r\nHost: x\r\n\r\n'],
  ['non-token method', 'G(T / HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['target with a control byte', 'GET /a\x01b HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['target with a non-ASCII byte', 'GET /\xe4 HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['asterisk-form outside OPTIONS', 'GET * HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['asterisk-form with POST', 'POST * HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'],
  ['asterisk-form with CONNECT', 'CONNECT * HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['asterisk-form with a fragment', 'OPTIONS *#f HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['authority-form with a fragment', 'CONNECT x:443#f HTTP/1.1\r\nHost: x:443\r\n\r\n'],
  ['absolute-form with an empty authority before a fragment', 'GET http://#f HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['a fragment alone', 'GET #f HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['absolute-form with userinfo', 'GET http://u@x/ HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['relative target', 'GET a/b HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['request ending inside the head', 'GET / HTTP/1.1\r\nHost: x\r\n'],
];

describe('rejects request smuggling ambiguities with 400 and a closed connection', () => {
  it.each(cases)('%s', async (_name, bytes) => {
    const client = await RawClient.connect(target.port);
    try {
      client.write(bytes);
      if (!bytes.endsWith('\r\n\r\n') || bytes === cases.at(-1)?.[1]) client.socket.end();
      const response = await client.read();
      expect(response.status).toBe(400);
      expect(response.headerList).toContainEqual(['connection', 'close']);
      expect(await client.isClosedWithin(1000)).toBe(true);
      expect(handled).toBe(0);
    } finally {
      client.close();
    }
  });

  it('does not run a request smuggled behind a Content-Length/Transfer-Encoding conflict', async () => {
    const smuggle =
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n';
    const { response, closed } = await exchange(target.port, smuggle);
    expect(response.status).toBe(400);
    expect(closed).toBe(true);
    expect(handled).toBe(0);
  });
});
