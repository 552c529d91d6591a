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
