import { CookieJar, TestClient } from '@bbws/testing';
import { HttpServer, type RequestHandler } from '@bbws/transport';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Sets the cookies named in `?set=` (each a full Set-Cookie value) and echoes the Cookie field. */
const handler: RequestHandler = (request, sink) => {
  let lines = '';
  for (const value of new URLSearchParams(request.query).getAll('set')) lines += `Set-Cookie: ${value}\r\n`;
  let cookie = '';
  for (let i = 0; i < request.headers.length; i += 2)
    if (request.headers[i] === 'cookie') cookie = request.headers[i + 1] as string;
  sink.send(200, lines, cookie);
};
const server = new HttpServer({ handler, listeners: [] });
const setting = (...cookies: string[]) => ({ query: { set: cookies } });

afterEach(() => {
  vi.useRealTimers();
});

describe('the cookie jar', () => {
  it('sends back what the server set', async () => {
    const client = TestClient.fromServer(server);
    await client.get('/login', setting('session=abc123; HttpOnly', 'theme=dark'));
    expect((await client.get('/')).text()).toBe('session=abc123; theme=dark');
    expect(client.cookies.get('session')).toBe('abc123');
  });

  it('replaces a cookie of the same name, domain and path', async () => {
    const client = TestClient.fromServer(server);
    await client.get('/', setting('a=1'));
    await client.get('/', setting('a=2'));
    expect((await client.get('/')).text()).toBe('a=2');
  });

  it('sends a cookie only under its Path, longest path first', async () => {
    const client = TestClient.fromServer(server);
    await client.get('/', setting('root=r; Path=/', 'admin=x; Path=/admin'));
    expect((await client.get('/admin/users')).text()).toBe('admin=x; root=r');
    expect((await client.get('/admin')).text()).toBe('admin=x; root=r');
    expect((await client.get('/administrator')).text()).toBe('root=r');
    expect((await client.get('/public')).text()).toBe('root=r');
  });

  it('defaults the Path to the directory of the request path', async () => {
    const client = TestClient.fromServer(server);
    await client.get('/docs/page', setting('d=1'));
    expect((await client.get('/docs/other')).text()).toBe('d=1');
    expect((await client.get('/elsewhere')).text()).toBe('');
  });

  it('deletes a cookie on Max-Age=0 or an Expires in the past', async () => {
    const client = TestClient.fromServer(server);
    await client.get('/', setting('a=1', 'b=2'));
    await client.get('/', setting('a=; Max-Age=0', 'b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT'));
    expect((await client.get('/')).text()).toBe('');
  });

  it('lets a cookie expire with Max-Age, under fake timers', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const client = TestClient.fromServer(server);
    await client.get('/', setting('short=1; Max-Age=60', 'long=2; Expires=Tue, 01 Jan 2030 01:00:00 GMT'));
    expect((await client.get('/')).text()).toBe('short=1; long=2');
    vi.setSystemTime(new Date('2030-01-01T00:01:00Z'));
    expect((await client.get('/')).text()).toBe('long=2');
    vi.setSystemTime(new Date('2030-01-01T01:00:00Z'));
    expect((await client.get('/')).text()).toBe('');
  });

  it('keeps host-only cookies to their host and Domain cookies to subdomains', async () => {
    const client = TestClient.fromServer(server);
    await client.get('/', { host: 'shop.example.com', ...setting('host=1', 'wide=2; Domain=example.com') });
    await client.get('/', { host: 'shop.example.com', ...setting('foreign=3; Domain=other.org') });
    expect((await client.get('/', { host: 'shop.example.com' })).text()).toBe('host=1; wide=2');
    expect((await client.get('/', { host: 'api.example.com:8080' })).text()).toBe('wide=2');
    expect((await client.get('/', { host: 'other.org' })).text()).toBe('');
  });

  it('sends Secure cookies over TLS only', async () => {
    const client = TestClient.fromServer(server);
    await client.get('/', { tls: true, ...setting('s=1; Secure') });
    expect((await client.get('/')).text()).toBe('');
    expect((await client.get('/', { tls: true })).text()).toBe('s=1');
  });

  it('adds per-request cookies, URI-encoded', async () => {
    const client = TestClient.fromServer(server);
    await client.get('/', setting('jar=1'));
    expect((await client.get('/', { cookies: { extra: 'a b;c' } })).text()).toBe('jar=1; extra=a%20b%3Bc');
  });

  it('can be turned off, or shared between clients', async () => {
    const off = TestClient.fromServer(server, { cookieJar: false });
    await off.get('/', setting('a=1'));
    expect((await off.get('/')).text()).toBe('');
    const jar = new CookieJar();
    await TestClient.fromServer(server, { cookieJar: jar }).get('/', setting('shared=1'));
    expect((await TestClient.fromServer(server, { cookieJar: jar }).get('/')).text()).toBe('shared=1');
  });

  it('exposes the parsed Set-Cookie fields of a response', async () => {
    const res = await TestClient.fromServer(server).get('/', setting('a=x%20y; Path=/p; HttpOnly'));
    expect(res.cookies).toEqual([{ name: 'a', value: 'x y', path: '/p', httpOnly: true }]);
  });
});
