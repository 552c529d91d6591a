import { type App, Controller, createApp, Get, MIME_TYPE, Param, Query } from 'bbwebservice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange, header } from '../../packages/transport/test/support/servers.js';

// Requests the transport now accepts (fragments, bytes RFC 3986 leaves out, HTTP/1.2,
// extension methods), through the whole app over a real socket: the router must match or
// miss them (200 or 404), never fail on them, and a fragment must never reach a handler.

@Controller('::/')
class TargetController {
  @Get('/files/{p:path}', { type: MIME_TYPE.TEXT })
  file(@Param('p') p: string): string {
    return `p=${p}`;
  }

  @Get('/search', { type: MIME_TYPE.TEXT })
  search(@Query('q') q: string): string {
    return `q=${q}`;
  }
}

let app: App;
let port = 0;
beforeAll(async () => {
  app = createApp({
    controllers: [TargetController],
    config: { server: [{ ip: '127.0.0.1', port: 0 }], log: { console: false } },
  });
  await app.start();
  port = app.addresses[0]?.port ?? 0;
});
afterAll(() => app.stop());

async function get(target: string, version = 'HTTP/1.1') {
  const { response } = await exchange(
    port,
    `GET ${target} ${version}\r\nHost: localhost\r\n\r\n`,
    '127.0.0.1',
    0,
  );
  return { status: response.status, body: response.body.toString('latin1'), response };
}

describe('the app routes unusual but valid request-targets', () => {
  it.each([
    ['braces', '/files/{a}/{b}', 'p={a}/{b}'],
    ['| and ^', '/files/a|b^c', 'p=a|b^c'],
    ['` " < >', '/files/a`b"c<d>e', 'p=a`b"c<d>e'],
    ['a fragment, dropped', '/files/a/b#frag', 'p=a/b'],
    ['a fragment that looks like a traversal, dropped', '/files/a#/../../secret', 'p=a'],
    ['absolute-form with a fragment', 'http://localhost/files/x?y#f', 'p=x'],
  ])('hands the {p:path} capture on unchanged: %s', async (_name, target, body) => {
    expect(await get(target)).toMatchObject({ status: 200, body });
  });

  it.each([
    ['| ^ { } " < > in the query', '/search?q={x}|y^z"<>', 'q={x}|y^z"<>'],
    ['a fragment after the query, dropped', '/search?q=1#frag', 'q=1'],
    ['a fragment holding another query, dropped', '/search?q=a#q=b', 'q=a'],
  ])('hands the query on: %s', async (_name, target, body) => {
    expect(await get(target)).toMatchObject({ status: 200, body });
  });

  it('misses, without failing, what no route matches', async () => {
    expect((await get('/nope{x}|y')).status).toBe(404);
    // The {p:path} rules are unchanged: a backslash in the capture matches nothing.
    expect((await get('/files/a\\b')).status).toBe(404);
  });

  it('serves HTTP/1.2 as HTTP/1.1', async () => {
    const { status, body, response } = await get('/files/v', 'HTTP/1.2');
    expect({ status, body }).toEqual({ status: 200, body: 'p=v' });
    expect(response.versionMinor).toBe(1);
    expect(header(response, 'connection')).toBeUndefined();
  });

  it('answers 501 to extension methods, M-SEARCH * included, and keeps the connection', async () => {
    const search = await exchange(port, 'M-SEARCH * HTTP/1.1\r\nHost: localhost\r\nST: ssdp:all\r\n\r\n');
    expect(search.response.status).toBe(501);
    expect(search.closed).toBe(false);
    const control = await exchange(
      port,
      'VERSION-CONTROL /files/x HTTP/1.1\r\nHost: localhost\r\n\r\n',
      '127.0.0.1',
      0,
    );
    expect(control.response.status).toBe(501);
  });

  it('still has the transport answer what it refuses: 400 for GET *, 501 for gzip, chunked', async () => {
    const asterisk = await exchange(port, 'GET * HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(asterisk).toMatchObject({ response: { status: 400 }, closed: true });
    const coded = await exchange(
      port,
      'POST /files/x HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
    );
    expect(coded).toMatchObject({ response: { status: 501 }, closed: true });
  });
});
