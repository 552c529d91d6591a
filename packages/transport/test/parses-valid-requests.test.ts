import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoed, exchange, RawClient, startServer, type TestServer } from './support/servers.js';

let target: TestServer;
beforeAll(async () => {
  target = await startServer();
});
afterAll(() => target.stop());

async function echo(bytes: string) {
  const { response } = await exchange(target.port, bytes, '127.0.0.1', 0);
  expect(response.status).toBe(200);
  return echoed(response);
}

describe('parses valid requests', () => {
  it('reads method, path, query, lower-case names and trimmed values', async () => {
    const req = await echo(
      'GET /a/b%20c?x=1&y=2 HTTP/1.1\r\nHOST: Example.COM:8080\r\nX-Thing: \t v a l \t\r\n\r\n',
    );
    expect(req).toMatchObject({
      method: 'GET',
      target: '/a/b%20c?x=1&y=2',
      path: '/a/b%20c',
      query: 'x=1&y=2',
    });
    expect(req.headers).toEqual(['host', 'Example.COM:8080', 'x-thing', 'v a l']);
    expect(req.endpoint).toEqual({ ip: '127.0.0.1', port: target.port, domain: 'example.com', isTls: false });
    expect(req.remoteAddress).toBe('127.0.0.1');
  });

  it('keeps unusual methods and obs-text in values', async () => {
    const req = await echo('PROPFIND / HTTP/1.1\r\nHost: x\r\nX-Latin: caf\xe9\r\n\r\n');
    expect(req.method).toBe('PROPFIND');
    expect(req.headers[3]).toBe('caf\xe9');
  });

  it('decodes a chunked body, accepts extensions and drops trailers', async () => {
    const req = await echo(
      'POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n' +
        '5;name=value;q="a \\"b\\""\r\nhello\r\n1;flag\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n',
    );
    expect(req.body).toBe('hello 0123456789');
    expect(req.headers).not.toContain('x-trailer');
  });

  it('reads a Content-Length body that arrives in pieces', async () => {
    const client = await RawClient.connect(target.port);
    const bytes = 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world';
    for (const piece of bytes.match(/.{1,7}/gs) ?? []) {
      client.write(piece);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(echoed(await client.read()).body).toBe('hello world');
    client.close();
  });

  it('takes the domain from an absolute-form target over Host', async () => {
    const req = await echo('GET HTTP://Other.example:81/p?q=1 HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(req).toMatchObject({ path: '/p', query: 'q=1' });
    expect(req.endpoint.domain).toBe('other.example');
  });

  it('accepts OPTIONS * (asterisk-form)', async () => {
    const req = await echo('OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(req).toMatchObject({ method: 'OPTIONS', path: '*' });
  });

  it('keeps the target as sent and drops a fragment from path and query', async () => {
    expect(await echo('GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n')).toMatchObject({
      target: '/a#b',
      path: '/a',
      query: '',
    });
    expect(await echo('GET /a?x=1#frag HTTP/1.1\r\nHost: x\r\n\r\n')).toMatchObject({
      target: '/a?x=1#frag',
      path: '/a',
      query: 'x=1',
    });
    // After `#` everything is fragment, a `?` too.
    expect(await echo('GET /a#b?c=1 HTTP/1.1\r\nHost: x\r\n\r\n')).toMatchObject({ path: '/a', query: '' });
    expect(await echo('GET /# HTTP/1.1\r\nHost: x\r\n\r\n')).toMatchObject({ path: '/', query: '' });
    const absolute = await echo('GET http://Other.example/p?q=1#f HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(absolute).toMatchObject({ target: 'http://Other.example/p?q=1#f', path: '/p', query: 'q=1' });
    expect(absolute.endpoint.domain).toBe('other.example');
    expect(await echo('GET http://h.test#f HTTP/1.1\r\nHost: x\r\n\r\n')).toMatchObject({
      path: '/',
      query: '',
    });
  });

  it('hands target bytes outside RFC 3986 that no parser reads two ways on unchanged', async () => {
    const odd = '/{a}|b\\c^d`e"f<g>';
    expect(await echo(`GET ${odd}?q={x}|y\\z^\`"<> HTTP/1.1\r\nHost: x\r\n\r\n`)).toMatchObject({
      target: `${odd}?q={x}|y\\z^\`"<>`,
      path: odd,
      query: 'q={x}|y\\z^`"<>',
    });
  });

  it('accepts any token as method', async () => {
    for (const method of ['M-SEARCH', 'VERSION-CONTROL', "!#$%&'*+-.^_`|~09AZaz", 'get']) {
      expect((await echo(`${method} /x HTTP/1.1\r\nHost: x\r\n\r\n`)).method).toBe(method);
    }
  });

  it('accepts asterisk-form for a method RFC 9110 does not define (SSDP)', async () => {
    const search = await echo(
      'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n',
    );
    expect(search).toMatchObject({ method: 'M-SEARCH', target: '*', path: '*', query: '' });
    const notify = await echo('NOTIFY * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\nNTS: ssdp:alive\r\n\r\n');
    expect(notify).toMatchObject({ method: 'NOTIFY', path: '*' });
  });

  it('serves HTTP/1.2 and HTTP/1.9 as HTTP/1.1', async () => {
    expect((await echo('GET / HTTP/1.2\r\nHost: x\r\n\r\n')).versionMinor).toBe(1);
    const chunked = await echo(
      'POST / HTTP/1.9\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
    );
    expect(chunked).toMatchObject({ versionMinor: 1, body: 'ok' });
  });

  it('ignores empty lines before a request line', async () => {
    const req = await echo('\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(req.path).toBe('/after');
  });

  it('accepts HTTP/1.0 without Host, and an IPv6 literal Host', async () => {
    expect((await echo('GET /old HTTP/1.0\r\n\r\n')).versionMinor).toBe(0);
    expect((await echo('GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n')).endpoint.domain).toBe('::1');
  });

  it('gives a null body without framing and an empty body for Content-Length: 0', async () => {
    expect((await echo('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).body).toBeNull();
    expect((await echo('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n')).body).toBe('');
  });
});
