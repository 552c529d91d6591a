import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestHandler } from '../src/index.js';
import { RawClient, startServer, type TestServer } from './support/servers.js';
import type { RawResponse } from './support/wire.js';

/**
 * Valid requests (RFC 9112, RFC 9110, and what llhttp's request corpus calls valid), each sent
 * over a real socket to our transport and to a node:http server with default options. Ours
 * must hand every one to its handler. node:http, an independent parser, is the cross-check:
 * its verdict on each request is recorded here, and where it rejects a valid request the case
 * says why. docs/http-conformance.md lists the same differences.
 */
interface ValidCase {
  readonly name: string;
  readonly bytes: string;
  /** What our handler must see, beyond being called. */
  readonly sees?: Partial<Seen>;
  /** Why node:http answers 400 to this valid request; absent when node:http serves it too. */
  readonly nodeRejects?: string;
}

interface Seen {
  readonly method: string;
  readonly target: string;
  readonly path: string;
  readonly query: string;
  readonly versionMinor: number;
  readonly headerCount: number;
  readonly body: string | null;
}

const H = 'Host: h.test\r\n';
const NODE_METHODS =
  "llhttp (node:http's parser) knows a fixed list of methods and answers 400 to any other token";
const NODE_VERSIONS = 'llhttp accepts only HTTP/0.9, 1.0, 1.1 and 2.0 and answers 400 to other 1.x minors';

const VALID: readonly ValidCase[] = [
  // Methods: any token (RFC 9110 §9.1, RFC 9112 §3.1).
  {
    name: 'SSDP M-SEARCH * (llhttp corpus)',
    bytes:
      'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 3\r\nST: ssdp:all\r\n\r\n',
    sees: { method: 'M-SEARCH', target: '*', path: '*' },
  },
  {
    name: 'SSDP NOTIFY *',
    bytes:
      'NOTIFY * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n\r\n',
    sees: { method: 'NOTIFY', path: '*' },
  },
  {
    name: 'WebDAV PROPFIND',
    bytes: `PROPFIND /dav/ HTTP/1.1\r\n${H}Depth: 1\r\n\r\n`,
    sees: { method: 'PROPFIND' },
  },
  { name: 'PURGE (llhttp corpus)', bytes: `PURGE /cache HTTP/1.1\r\n${H}\r\n`, sees: { method: 'PURGE' } },
  {
    name: 'VERSION-CONTROL (RFC 3253)',
    bytes: `VERSION-CONTROL /file HTTP/1.1\r\n${H}\r\n`,
    sees: { method: 'VERSION-CONTROL' },
    nodeRejects: NODE_METHODS,
  },
  {
    name: 'a method made of every tchar',
    bytes: `!#$%&'*+-.^_\`|~09AZaz /x HTTP/1.1\r\n${H}\r\n`,
    sees: { method: "!#$%&'*+-.^_`|~09AZaz" },
    nodeRejects: NODE_METHODS,
  },
  {
    name: 'a lower-case method (methods are case-sensitive: another method)',
    bytes: `get / HTTP/1.1\r\n${H}\r\n`,
    sees: { method: 'get' },
    nodeRejects: NODE_METHODS,
  },
  { name: 'HEAD', bytes: `HEAD /h HTTP/1.1\r\n${H}\r\n` },

  // Request-target forms (RFC 9112 §3.2).
  {
    name: 'origin-form with a query',
    bytes: `GET /a/b?c=d&e HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/a/b', query: 'c=d&e' },
  },
  {
    name: 'origin-form with an empty query',
    bytes: `GET /? HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/', query: '' },
  },
  {
    name: 'origin-form with percent-encoding',
    bytes: `GET /a%20b/%E2%82%AC?x=%41 HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/a%20b/%E2%82%AC', query: 'x=%41' },
  },
  {
    name: "origin-form with sub-delims, ':' and '@'; '/' and '?' in the query",
    bytes: `GET /a;p=1,b/!$&'()*+=:@?/?x=:@ HTTP/1.1\r\n${H}\r\n`,
    sees: { path: "/a;p=1,b/!$&'()*+=:@", query: '/?x=:@' },
  },
  {
    name: 'absolute-form',
    bytes: `GET http://h.test/p?q=1 HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/p', query: 'q=1' },
  },
  {
    name: 'absolute-form without a path',
    bytes: `GET http://h.test HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/' },
  },
  {
    name: 'absolute-form with a query and no path',
    bytes: `GET http://h.test?q=1 HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/', query: 'q=1' },
  },
  {
    name: 'absolute-form https with a port',
    bytes: `GET https://h.test:8443/p HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/p' },
  },
  {
    name: 'absolute-form in upper case',
    bytes: `GET HTTP://H.TEST/P HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/P' },
  },
  {
    name: 'absolute-form with an IPv6 literal',
    bytes: `GET http://[::1]:8080/p HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/p' },
  },
  {
    name: 'absolute-form with an IPv4 address',
    bytes: `GET http://127.0.0.1/ HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/' },
  },
  {
    name: 'authority-form (CONNECT)',
    bytes: 'CONNECT h.test:443 HTTP/1.1\r\nHost: h.test:443\r\n\r\n',
    sees: { method: 'CONNECT', target: 'h.test:443' },
  },
  {
    name: 'authority-form with an IPv6 literal',
    bytes: 'CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n',
  },
  { name: 'asterisk-form (OPTIONS *)', bytes: `OPTIONS * HTTP/1.1\r\n${H}\r\n`, sees: { path: '*' } },

  // A fragment: dropped from path and query (RFC 9110 §7.1), kept in target.
  {
    name: 'a fragment',
    bytes: `GET /a#b HTTP/1.1\r\n${H}\r\n`,
    sees: { target: '/a#b', path: '/a', query: '' },
  },
  {
    name: 'a query and a fragment',
    bytes: `GET /a?x=1#frag HTTP/1.1\r\n${H}\r\n`,
    sees: { target: '/a?x=1#frag', path: '/a', query: 'x=1' },
  },
  {
    name: 'absolute-form with a query and a fragment',
    bytes: `GET http://h.test/p?q#f HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/p', query: 'q' },
  },
  {
    name: 'absolute-form with a fragment right after the authority',
    bytes: `GET http://h.test#f HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/', query: '' },
    nodeRejects: "llhttp's URL parser does not end a host at '#'; RFC 3986 §3.2 does",
  },

  // Bytes RFC 3986 leaves out but that no parser reads two ways: handed on unchanged.
  { name: 'braces in the path', bytes: `GET /{a}/{b} HTTP/1.1\r\n${H}\r\n`, sees: { path: '/{a}/{b}' } },
  { name: '| \\ ^ in the path', bytes: `GET /a|b\\c^d HTTP/1.1\r\n${H}\r\n`, sees: { path: '/a|b\\c^d' } },
  {
    name: '` " < > in the path',
    bytes: `GET /a\`b"c<d>e HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/a`b"c<d>e' },
  },
  {
    name: 'all of them in the query',
    bytes: `GET /q?a={x}|y\\z^\`"<> HTTP/1.1\r\n${H}\r\n`,
    sees: { query: 'a={x}|y\\z^`"<>' },
  },

  // Versions (RFC 9112 §2.3, RFC 9110 §6.2).
  { name: 'HTTP/1.0 without Host', bytes: 'GET /old HTTP/1.0\r\n\r\n', sees: { versionMinor: 0 } },
  {
    name: 'HTTP/1.0 keep-alive',
    bytes: 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
    sees: { versionMinor: 0 },
  },
  {
    name: 'HTTP/1.2, served as 1.1',
    bytes: `GET / HTTP/1.2\r\n${H}\r\n`,
    sees: { versionMinor: 1 },
    nodeRejects: NODE_VERSIONS,
  },
  {
    name: 'HTTP/1.9, served as 1.1',
    bytes: `GET / HTTP/1.9\r\n${H}\r\n`,
    sees: { versionMinor: 1 },
    nodeRejects: NODE_VERSIONS,
  },
  {
    name: 'HTTP/1.2 with a chunked body',
    bytes: `POST / HTTP/1.2\r\n${H}Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n`,
    sees: { versionMinor: 1, body: 'ok' },
    nodeRejects: NODE_VERSIONS,
  },

  // Header fields (RFC 9112 §5, RFC 9110 §5).
  { name: 'obs-text in a value', bytes: `GET / HTTP/1.1\r\n${H}X-Latin: caf\xe9 \xff\r\n\r\n` },
  {
    name: 'empty values',
    bytes: `GET / HTTP/1.1\r\n${H}X-Empty:\r\nX-Blank:   \r\n\r\n`,
    sees: { headerCount: 3 },
  },
  { name: 'an empty Host (RFC 9110 §7.2)', bytes: 'GET / HTTP/1.1\r\nHost:\r\n\r\n' },
  { name: 'a Host with a port', bytes: 'GET / HTTP/1.1\r\nHost: h.test:8080\r\n\r\n' },
  { name: 'an IPv6 literal Host', bytes: 'GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n' },
  {
    name: '100 header fields',
    bytes: `GET / HTTP/1.1\r\n${H}${Array.from({ length: 99 }, (_, i) => `X-H${i}: ${i}\r\n`).join('')}\r\n`,
    sees: { headerCount: 100 },
  },
  {
    name: 'a field name made of every tchar',
    bytes: `GET / HTTP/1.1\r\n${H}!#$%&'*+-.^_\`|~09AZaz: v\r\n\r\n`,
  },
  {
    name: 'a list value with quotes, commas and tabs',
    bytes: `GET / HTTP/1.1\r\n${H}X-List: a, "b,c" ,\td\r\n\r\n`,
  },
  {
    name: 'a list field on two lines',
    bytes: `GET / HTTP/1.1\r\n${H}Accept: text/html\r\nAccept: */*\r\n\r\n`,
    sees: { headerCount: 3 },
  },
  { name: 'an 8 KiB value', bytes: `GET / HTTP/1.1\r\n${H}X-Big: ${'v'.repeat(8192)}\r\n\r\n` },

  // Bodies (RFC 9112 §6, §7).
  {
    name: 'Content-Length body',
    bytes: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhello`,
    sees: { body: 'hello' },
  },
  {
    name: 'Content-Length: 0',
    bytes: `POST / HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`,
    sees: { body: '' },
  },
  {
    name: 'chunked, several chunks',
    bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n`,
    sees: { body: 'hello world' },
  },
  {
    name: 'chunked, empty body',
    bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    sees: { body: '' },
  },
  {
    name: 'chunk extensions: name, token value, quoted value with a quoted-pair',
    bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5;a;b=c;d="e \\"f\\""\r\nhello\r\n0;z\r\n\r\n`,
    sees: { body: 'hello' },
  },
  {
    name: 'trailer fields',
    bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\nX-U: 2\r\n\r\n`,
    sees: { body: 'hello', headerCount: 3 },
  },
  {
    name: 'hex chunk sizes with leading zeros, last chunk 000',
    bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n000A\r\n0123456789\r\n1a\r\n${'z'.repeat(26)}\r\n000\r\n\r\n`,
    sees: { body: `0123456789${'z'.repeat(26)}` },
  },
  {
    name: 'Transfer-Encoding in another case',
    bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n`,
    sees: { body: 'ok' },
  },
  {
    name: 'Expect: 100-continue',
    bytes: `POST / HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 5\r\n\r\nhello`,
    sees: { body: 'hello' },
  },
  {
    name: 'Expect: 100-continue in HTTP/1.0 (ignored, RFC 9110 §10.1.1)',
    bytes: 'POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello',
    sees: { body: 'hello' },
  },

  // Message framing (RFC 9112 §2.2).
  {
    name: 'a CRLF before the request line',
    bytes: `\r\nGET /after HTTP/1.1\r\n${H}\r\n`,
    sees: { path: '/after' },
  },
  { name: 'two CRLFs before the request line', bytes: `\r\n\r\nGET / HTTP/1.1\r\n${H}\r\n` },
];

/**
 * Requests the RFC grammar admits that we refuse on purpose, each with the RFC clause that
 * permits it or the reason: strictness here is about framing two parsers could read apart.
 */
interface RefusedCase {
  readonly name: string;
  readonly bytes: string;
  readonly status: 400 | 501 | 505;
  readonly why: string;
  /** Whether node:http serves it. */
  readonly nodeServes: boolean;
}

const POST = `POST / HTTP/1.1\r\n${H}`;

const REFUSED: readonly RefusedCase[] = [
  {
    name: 'Transfer-Encoding: gzip, chunked',
    bytes: `${POST}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
    status: 501,
    why: 'RFC 9112 §6.1: a server that receives a transfer coding it does not understand SHOULD answer 501',
    nodeServes: true,
  },
  {
    name: 'gzip and chunked on two Transfer-Encoding lines',
    bytes: `${POST}Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    status: 501,
    why: 'the same list as gzip, chunked (RFC 9110 §5.3)',
    nodeServes: true,
  },
  {
    name: 'Transfer-Encoding with a leading empty element',
    bytes: `${POST}Transfer-Encoding: , chunked\r\n\r\n0\r\n\r\n`,
    status: 400,
    why: 'RFC 9110 §5.6.1.2 asks recipients to ignore empty elements; in this one field, parsers that do and parsers that do not disagree on the final coding',
    nodeServes: true,
  },
  {
    name: 'Transfer-Encoding with a trailing empty element',
    bytes: `${POST}Transfer-Encoding: chunked,\r\n\r\n0\r\n\r\n`,
    status: 400,
    why: 'as above: is the final coding chunked or empty?',
    nodeServes: false,
  },
  {
    name: 'whitespace between a chunk size and its extension',
    bytes: `${POST}Transfer-Encoding: chunked\r\n\r\n5 ;a=b\r\nhello\r\n0\r\n\r\n`,
    status: 400,
    why: 'RFC 9112 §7.1.1 allows BWS there; strict llhttp and we reject it: a parser that skips it and one that does not read different sizes',
    nodeServes: false,
  },
  {
    name: 'whitespace after the ; of a chunk extension',
    bytes: `${POST}Transfer-Encoding: chunked\r\n\r\n5; a=b\r\nhello\r\n0\r\n\r\n`,
    status: 400,
    why: 'as above',
    nodeServes: false,
  },
  {
    name: 'two equal Content-Length lines',
    bytes: `${POST}Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello`,
    status: 400,
    why: 'RFC 9110 §8.6 lets a recipient reject them or merge them; rejecting is the simpler safe choice',
    nodeServes: false,
  },
  {
    name: 'a Content-Length list of equal values',
    bytes: `${POST}Content-Length: 5, 5\r\n\r\nhello`,
    status: 400,
    why: 'as above',
    nodeServes: false,
  },
  {
    name: 'HTTP/2.0 on an HTTP/1 connection',
    bytes: `GET / HTTP/2.0\r\n${H}\r\n`,
    status: 505,
    why: 'RFC 9110 §15.6.6: 505 refuses a major version the server does not support',
    nodeServes: true,
  },
];

const handler: RequestHandler = (request, sink) => {
  const seen: Seen = {
    method: request.method,
    target: request.target,
    path: request.path,
    query: request.query,
    versionMinor: request.versionMinor,
    headerCount: request.headers.length / 2,
    body: request.body === null ? null : request.body.toString('latin1'),
  };
  sink.send(200, 'X-Handled: 1\r\nContent-Type: application/json\r\n', JSON.stringify(seen));
};

let ours: TestServer;
let node: http.Server;
let nodePort = 0;

beforeAll(async () => {
  ours = await startServer({ handler });
  node = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.setHeader('X-Handled', '1');
      response.end('ok');
    });
  });
  // node:http hands CONNECT to this event, not to the request handler; answering here is how
  // a node:http application serves it, so the comparison is parser against parser.
  node.on('connect', (_request, socket: net.Socket) => {
    socket.end('HTTP/1.1 200 OK\r\nX-Handled: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  nodePort = (node.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await ours.stop();
  await new Promise((resolve) => node.close(resolve));
});

const ANSWER_WAIT_MS = 3000;

/** Sends `bytes`, half-closes, and returns the first final response (1xx skipped). */
async function send(port: number, bytes: string): Promise<RawResponse> {
  const client = await RawClient.connect(port);
  let timer: NodeJS.Timeout | undefined;
  try {
    client.write(bytes);
    client.socket.end();
    const isHead = bytes.startsWith('HEAD ');
    const answer = (async () => {
      for (;;) {
        const response = await client.read(isHead);
        if (response.status >= 200) return response;
      }
    })();
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WAIT_MS} ms`)), ANSWER_WAIT_MS);
    });
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
    client.close();
  }
}

const isHandled = (response: RawResponse) => response.headerList.some(([name]) => name === 'x-handled');

/** node:http's verdict: its handler answered, or it did not (400, or closed without answer). */
async function nodeServes(bytes: string): Promise<boolean> {
  try {
    return isHandled(await send(nodePort, bytes));
  } catch {
    return false;
  }
}

describe('serves every valid request, as node:http does except where listed', () => {
  it.each(VALID.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const response = await send(ours.port, c.bytes);
    expect(response.status).toBe(200);
    expect(isHandled(response)).toBe(true);
    if (c.sees !== undefined && !c.bytes.startsWith('HEAD ')) {
      expect(JSON.parse(response.body.toString('latin1'))).toMatchObject(c.sees);
    }
    expect(await nodeServes(c.bytes)).toBe(c.nodeRejects === undefined);
  });
});

describe('refuses on purpose what the grammar admits but two parsers could frame apart', () => {
  it.each(REFUSED.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const response = await send(ours.port, c.bytes);
    expect(response.status).toBe(c.status);
    expect(isHandled(response)).toBe(false);
    expect(response.headerList).toContainEqual(['connection', 'close']);
    expect(await nodeServes(c.bytes)).toBe(c.nodeServes);
  });
});
