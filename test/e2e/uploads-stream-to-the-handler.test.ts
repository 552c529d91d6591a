import { createHash } from 'node:crypto';
import { type App, Controller, createApp, MIME_TYPE, Post, Upload, type UploadStream } from 'bbwebservice';
import { TestClient } from 'bbwebservice/testing';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BOUNDARY = 'bbws-test-boundary';

@Controller('::/')
class UploadController {
  @Post('/upload', { type: MIME_TYPE.JSON })
  async upload(@Upload({ maxFileBytes: 200_000, maxTotalBytes: 300_000 }) upload: UploadStream) {
    const parts: unknown[] = [];
    for await (const part of upload) {
      if (part.kind === 'field') {
        parts.push({ field: part.name, value: part.value });
        continue;
      }
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of part.stream) {
        hash.update(chunk);
        bytes += (chunk as Buffer).length;
      }
      parts.push({ file: part.filename, bytes, sha256: hash.digest('hex') });
    }
    return parts;
  }

  @Post('/buffered')
  buffered() {
    return 'buffered';
  }
}

function multipart(file: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nholiday\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="photo"; filename="a.bin"\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

const TYPE = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let app: App;
beforeAll(async () => {
  // max_body_size 64 KiB: the upload route's own maxTotalBytes (300 KB) is what counts for it.
  app = createApp({
    controllers: [UploadController],
    config: { server: [{ ip: '127.0.0.1', port: 0 }], max_body_size: 65_536 },
  });
  await app.start({ handleSignals: false });
});
afterAll(() => app.stop());

type Poster = (
  path: string,
  body: Buffer,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: Buffer }>;

/** Posts through the in-memory transport (the same Connection code as a socket). */
const memoryPost = (a: App): Poster => {
  const client = TestClient.fromApp(a);
  return async (path, body, headers = TYPE) => {
    const res = await client.request({ method: 'POST', path, headers, body });
    return { status: res.status, body: Buffer.from(res.bytes()) };
  };
};

/** Posts over a real socket. */
const tcpPost =
  (a: App): Poster =>
  async (path, body, headers = TYPE) => {
    const res = await request(`http://127.0.0.1:${a.addresses[0]?.port}${path}`, {
      method: 'POST',
      headers,
      body,
    });
    return { status: res.statusCode, body: Buffer.from(await res.body.arrayBuffer()) };
  };

describe.each([
  ['in memory', memoryPost],
  ['over TCP', tcpPost],
])('@Upload streams multipart parts to the handler (%s)', (_name, make) => {
  let post: Poster;
  beforeAll(() => {
    post = make(app);
  });

  it('gives fields and files in order, every byte, above max_body_size', async () => {
    const file = Buffer.from(Array.from({ length: 150_000 }, (_, i) => (i * 31) % 256));
    const res = await post('/upload', multipart(file));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual([
      { field: 'title', value: 'holiday' },
      { file: 'a.bin', bytes: 150_000, sha256: sha(file) },
    ]);
  });

  it('a file over maxFileBytes is 413', async () => {
    const res = await post('/upload', multipart(Buffer.alloc(250_000, 1)));
    expect(res.status).toBe(413);
  });

  it('a body over maxTotalBytes is 413 before it is read', async () => {
    const res = await post('/upload', multipart(Buffer.alloc(310_000, 1)));
    expect(res.status).toBe(413);
  });

  it('a body that is not multipart is 415', async () => {
    const res = await post('/upload', Buffer.from('{"a":1}'), { 'content-type': 'application/json' });
    expect(res.status).toBe(415);
  });

  it('other routes still buffer up to max_body_size', async () => {
    expect((await post('/buffered', Buffer.alloc(1000, 1), {})).status).toBe(200);
    expect((await post('/buffered', Buffer.alloc(70_000, 1), {})).status).toBe(413);
  });
});
