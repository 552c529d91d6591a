import { type App, Controller, createApp, Get, MIME_TYPE, Param, PartialContent, Query } from 'bbwebservice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fetch, makeTree, memoryFetch, type Tree, tcpFetch } from './fixtures.js';

let tree: Tree;

@Controller('::/')
class FileController {
  @Get('/files/{p:path}', { type: MIME_TYPE.DYNAMIC })
  file(@Param('p') p: string) {
    return new PartialContent(p, { root: tree.root });
  }

  @Get('/video', { type: MIME_TYPE.MP4 })
  video() {
    return new PartialContent('/large.bin', {
      root: tree.root,
      defaultSize: 80_000,
      mimeType: MIME_TYPE.MP4,
    });
  }

  @Get('/small-chunks')
  smallChunks(@Query('p') p: string) {
    return new PartialContent(p, { root: tree.root, chunkSize: 100 });
  }
}

let app: App;
beforeAll(async () => {
  tree = makeTree();
  app = createApp({ controllers: [FileController], config: { server: [{ ip: '127.0.0.1', port: 0 }] } });
  await app.start();
});
afterAll(async () => {
  await app.stop();
  tree.cleanup();
});

describe.each([
  ['in memory', (a: App) => memoryFetch(a)],
  ['over TCP', (a: App) => tcpFetch(a)],
])('file ranges %s', (_name, make) => {
  let fetch: Fetch;
  beforeAll(() => {
    fetch = make(app);
  });

  it('serves the whole file with Accept-Ranges, ETag, Last-Modified and the type of its extension', async () => {
    const res = await fetch('/files/large.bin');
    expect(res.status).toBe(200);
    expect(res.body.equals(tree.large)).toBe(true);
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['content-length']).toBe(String(tree.large.length));
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['etag']).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(Date.parse(res.headers['last-modified'] ?? '')).not.toBeNaN();
    expect((await fetch('/files/page.html')).headers['content-type']).toBe('text/html; charset=utf-8');
  });

  const size = 300 * 1024;
  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=100-199', 100, 199],
    ['bytes=0-0', 0, 0],
    ['bytes=307199-307199', size - 1, size - 1],
    ['bytes=-500', size - 500, size - 1],
    ['bytes=-400000', 0, size - 1],
    ['bytes=300000-', 300000, size - 1],
    ['bytes=300000-999999', 300000, size - 1],
    ['bytes=1000-140000', 1000, 140000],
    ['bytes=0-10,5-20', 0, 20],
    ['bytes=0-4,5-9', 0, 9],
  ])('%s → 206 with bytes %i-%i', async (range, start, end) => {
    const res = await fetch('/files/large.bin', { range });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${size}`);
    expect(res.headers['content-length']).toBe(String(end - start + 1));
    expect(res.body.equals(tree.large.subarray(start, end + 1))).toBe(true);
  });

  it.each(['bytes=307200-', 'bytes=400000-500000', 'bytes=-0'])('%s → 416 bytes */size', async (range) => {
    const res = await fetch('/files/large.bin', { range });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe(`bytes */${size}`);
    expect(res.body.length).toBe(0);
  });

  it.each(['bytes=abc', 'items=0-5', 'bytes=5-2'])(
    'ignores malformed or foreign %s and sends 200',
    async (range) => {
      const res = await fetch('/files/small.bin', { range });
      expect(res.status).toBe(200);
      expect(res.body.equals(tree.small)).toBe(true);
    },
  );

  it('answers several ranges as multipart/byteranges with the right bytes in each part', async () => {
    const res = await fetch('/files/large.bin', { range: 'bytes=0-9, 100000-100099, -5' });
    expect(res.status).toBe(206);
    const match = /^multipart\/byteranges; boundary=(\S+)$/.exec(res.headers['content-type'] ?? '');
    expect(match).not.toBeNull();
    expect(res.headers['content-length']).toBe(String(res.body.length));
    const parts = parseMultipart(res.body, match?.[1] ?? '');
    expect(parts.map((p) => p.range)).toEqual([
      `bytes 0-9/${size}`,
      `bytes 100000-100099/${size}`,
      `bytes ${size - 5}-${size - 1}/${size}`,
    ]);
    expect(parts[0]?.body.equals(tree.large.subarray(0, 10))).toBe(true);
    expect(parts[1]?.body.equals(tree.large.subarray(100000, 100100))).toBe(true);
    expect(parts[2]?.body.equals(tree.large.subarray(size - 5))).toBe(true);
    expect(parts.every((p) => p.type === 'application/octet-stream')).toBe(true);
  });

  it('streams multi-chunk ranges in bounded reads (chunkSize 100) with identical bytes', async () => {
    const res = await fetch('/small-chunks?p=small.bin', { range: 'bytes=17-977' });
    expect(res.status).toBe(206);
    expect(res.body.equals(tree.small.subarray(17, 978))).toBe(true);
    const whole = await fetch('/small-chunks?p=small.bin');
    expect(whole.body.equals(tree.small)).toBe(true);
  });

  it('honours If-Range with the current ETag or Last-Modified, and sends 200 for stale ones', async () => {
    const first = await fetch('/files/small.bin');
    const etag = first.headers['etag'] ?? '';
    const lastModified = first.headers['last-modified'] ?? '';
    const withEtag = await fetch('/files/small.bin', { range: 'bytes=0-9', 'if-range': etag });
    expect(withEtag.status).toBe(206);
    expect(withEtag.body.equals(tree.small.subarray(0, 10))).toBe(true);
    expect((await fetch('/files/small.bin', { range: 'bytes=0-9', 'if-range': lastModified })).status).toBe(
      206,
    );
    const stale = await fetch('/files/small.bin', { range: 'bytes=0-9', 'if-range': '"other"' });
    expect(stale.status).toBe(200);
    expect(stale.body.equals(tree.small)).toBe(true);
    expect((await fetch('/files/small.bin', { range: 'bytes=0-9', 'if-range': `W/${etag}` })).status).toBe(
      200,
    );
    expect(
      (await fetch('/files/small.bin', { range: 'bytes=0-9', 'if-range': 'Thu, 01 Jan 1970 00:00:00 GMT' }))
        .status,
    ).toBe(200);
  });

  it('answers If-None-Match and If-Modified-Since with 304, and If-Match mismatches with 412', async () => {
    const first = await fetch('/files/small.bin');
    const etag = first.headers['etag'] ?? '';
    const notModified = await fetch('/files/small.bin', { 'if-none-match': `"x", ${etag}` });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect(notModified.headers['etag']).toBe(etag);
    expect((await fetch('/files/small.bin', { 'if-none-match': `W/${etag}` })).status).toBe(304);
    expect((await fetch('/files/small.bin', { 'if-none-match': '*' })).status).toBe(304);
    expect(
      (await fetch('/files/small.bin', { 'if-modified-since': first.headers['last-modified'] ?? '' })).status,
    ).toBe(304);
    expect(
      (await fetch('/files/small.bin', { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' })).status,
    ).toBe(200);
    expect((await fetch('/files/small.bin', { 'if-match': '"nope"' })).status).toBe(412);
    expect((await fetch('/files/small.bin', { 'if-match': etag, range: 'bytes=1-2' })).status).toBe(206);
  });

  it('answers HEAD with the headers of GET and no body, for whole files and ranges', async () => {
    const head = await fetch('/files/large.bin', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(size));
    expect(head.body.length).toBe(0);
    const ranged = await fetch('/files/large.bin', { range: 'bytes=10-19' }, 'HEAD');
    expect(ranged.status).toBe(206);
    expect(ranged.headers['content-range']).toBe(`bytes 10-19/${size}`);
    expect(ranged.headers['content-length']).toBe('10');
    // The connection still works after a HEAD that skipped the body.
    expect((await fetch('/files/small.bin')).body.equals(tree.small)).toBe(true);
  });

  it('serves an empty file as 200 with no body, and any range of it as 416', async () => {
    const res = await fetch('/files/empty.bin');
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    const ranged = await fetch('/files/empty.bin', { range: 'bytes=0-' });
    expect(ranged.status).toBe(416);
    expect(ranged.headers['content-range']).toBe('bytes */0');
  });

  it("caps open-ended ranges at the seed's default_size", async () => {
    const res = await fetch('/video', { range: 'bytes=1000-' });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 1000-80999/${size}`);
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.body.equals(tree.large.subarray(1000, 81000))).toBe(true);
    const bounded = await fetch('/video', { range: 'bytes=0-199999' });
    expect(bounded.headers['content-range']).toBe(`bytes 0-199999/${size}`);
  });

  it('does not compress files even when the client accepts it', async () => {
    const res = await fetch('/files/page.html', { 'accept-encoding': 'gzip, br' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toBe('<h1>hi</h1>');
  });

  it('answers a missing file with 404', async () => {
    expect((await fetch('/files/nope.bin')).status).toBe(404);
  });
});

function parseMultipart(body: Buffer, boundary: string) {
  const parts: Array<{ type: string; range: string; body: Buffer }> = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  for (;;) {
    const next = at + delimiter.length;
    if (body.subarray(next, next + 2).toString() === '--') break;
    const headEnd = body.indexOf('\r\n\r\n', next);
    const head = body
      .subarray(next + 2, headEnd)
      .toString('latin1')
      .split('\r\n');
    const end = body.indexOf(Buffer.from(`\r\n--${boundary}`), headEnd);
    const field = (name: string) =>
      head
        .find((line) => line.toLowerCase().startsWith(`${name}:`))
        ?.slice(name.length + 1)
        .trim() ?? '';
    parts.push({
      type: field('content-type'),
      range: field('content-range'),
      body: body.subarray(headEnd + 4, end),
    });
    at = end + 2;
  }
  return parts;
}
