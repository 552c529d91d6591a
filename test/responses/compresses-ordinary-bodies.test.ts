import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { type App, Controller, createApp, Dynamic, Get, MIME_TYPE, Response } from 'bbwebservice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fetch, memoryFetch, tcpFetch } from './fixtures.js';

const BIG_TEXT = 'The quick brown fox jumps over the lazy dog. '.repeat(200);
const BIG_JSON = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) };

@Controller('::/')
class BodiesController {
  @Get('/text')
  text() {
    return BIG_TEXT;
  }

  @Get('/json', { type: MIME_TYPE.JSON })
  json() {
    return BIG_JSON;
  }

  @Get('/small')
  small() {
    return 'short';
  }

  @Get('/png', { type: MIME_TYPE.PNG })
  png() {
    return Buffer.alloc(5000, 1);
  }

  @Get('/dynamic-html', { type: MIME_TYPE.DYNAMIC })
  dynamicHtml() {
    return new Dynamic(`<p>${BIG_TEXT}</p>`, MIME_TYPE.HTML);
  }

  @Get('/pre-encoded')
  preEncoded() {
    return new Response(BIG_TEXT, { headers: { 'Content-Encoding': 'identity' } });
  }

  @Get('/response')
  response() {
    return new Response(BIG_TEXT, { status: 201, headers: { 'X-Kept': 'yes' } });
  }
}

let app: App;
beforeAll(async () => {
  app = createApp({ controllers: [BodiesController], config: { server: [{ ip: '127.0.0.1', port: 0 }] } });
  await app.start();
});
afterAll(() => app.stop());

describe.each([
  ['in memory', (a: App) => memoryFetch(a)],
  ['over TCP', (a: App) => tcpFetch(a)],
])('compression %s', (_name, make) => {
  let fetch: Fetch;
  beforeAll(() => {
    fetch = make(app);
  });

  it('gzip round trip', async () => {
    const res = await fetch('/text', { 'accept-encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(Buffer.byteLength(BIG_TEXT) / 5);
    expect(gunzipSync(res.body).toString()).toBe(BIG_TEXT);
  });

  it('br round trip, chosen over gzip at equal q', async () => {
    const res = await fetch('/json', { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(res.body).toString())).toEqual(BIG_JSON);
  });

  it('follows q-values', async () => {
    expect(
      (await fetch('/text', { 'accept-encoding': 'br;q=0.2, gzip;q=0.9' })).headers['content-encoding'],
    ).toBe('gzip');
    const none = await fetch('/text', { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.headers['vary']).toBe('Accept-Encoding');
    expect(none.body.toString()).toBe(BIG_TEXT);
  });

  it('leaves identity when not asked, small bodies, compressed types and pre-encoded bodies alone', async () => {
    const plain = await fetch('/text');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(BIG_TEXT);
    const small = await fetch('/small', { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.headers['vary']).toBeUndefined();
    const png = await fetch('/png', { 'accept-encoding': 'gzip' });
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.body.length).toBe(5000);
    const pre = await fetch('/pre-encoded', { 'accept-encoding': 'gzip' });
    expect(pre.headers['content-encoding']).toBe('identity');
    expect(pre.body.toString()).toBe(BIG_TEXT);
  });

  it('compresses Dynamic and Response bodies, keeping their status and headers', async () => {
    const html = await fetch('/dynamic-html', { 'accept-encoding': 'gzip' });
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(gunzipSync(html.body).toString()).toBe(`<p>${BIG_TEXT}</p>`);
    const res = await fetch('/response', { 'accept-encoding': 'br' });
    expect(res.status).toBe(201);
    expect(res.headers['x-kept']).toBe('yes');
    expect(brotliDecompressSync(res.body).toString()).toBe(BIG_TEXT);
  });

  it('HEAD carries the Content-Length of the compressed GET', async () => {
    const get = await fetch('/text', { 'accept-encoding': 'gzip' });
    const head = await fetch('/text', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.body.length).toBe(0);
  });
});
