import { parseContentRange, TestClient } from '@bbws/testing';
import { HttpServer, type RequestHandler } from '@bbws/transport';
import { describe, expect, it } from 'vitest';
import { type Echo, echoServer, field } from './support/echo-server.js';

const FILE = Buffer.from('0123456789');

/** A hand-written ranged answer over the 10 bytes of FILE (only the forms these tests send). */
const handler: RequestHandler = (request, sink) => {
  let range = '';
  for (let i = 0; i < request.headers.length; i += 2)
    if (request.headers[i] === 'range') range = request.headers[i + 1] as string;
  if (range === 'bytes=2-5') {
    sink.send(206, 'Content-Range: bytes 2-5/10\r\nContent-Type: text/plain\r\n', FILE.subarray(2, 6));
  } else if (range === 'bytes=20-') {
    sink.send(416, 'Content-Range: bytes */10\r\n', null);
  } else if (range === 'bytes=0-1,-2') {
    const body =
      '--SEP\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/10\r\n\r\n01\r\n' +
      '--SEP\r\nContent-Type: text/plain\r\nContent-Range: bytes 8-9/10\r\n\r\n89\r\n--SEP--\r\n';
    sink.send(206, 'Content-Type: multipart/byteranges; boundary=SEP\r\n', body);
  } else {
    sink.send(200, 'Accept-Ranges: bytes\r\n', FILE);
  }
};
const client = TestClient.fromServer(new HttpServer({ handler, listeners: [] }));

describe('range requests', () => {
  it('send a Range header from ranges or a raw value', async () => {
    const echo = TestClient.fromServer(echoServer());
    const range = async (r: Parameters<TestClient['get']>[1]) =>
      field((await echo.get('/', r)).json<Echo>(), 'range');
    expect(await range({ range: { start: 0, end: 99 } })).toBe('bytes=0-99');
    expect(await range({ range: { start: 500 } })).toBe('bytes=500-');
    expect(await range({ range: { suffix: 100 } })).toBe('bytes=-100');
    expect(await range({ range: [{ start: 0, end: 1 }, { suffix: 2 }] })).toBe('bytes=0-1,-2');
    expect(await range({ range: 'bytes=1-1' })).toBe('bytes=1-1');
  });

  it('read a 206 with its parsed Content-Range', async () => {
    const res = await client.get('/file', { range: { start: 2, end: 5 } });
    expect(res.status).toBe(206);
    expect(res.contentRange).toEqual({ unit: 'bytes', start: 2, end: 5, size: 10 });
    expect(res.text()).toBe('2345');
  });

  it('read a 416 with the size and no range', async () => {
    const res = await client.get('/file', { range: { start: 20 } });
    expect(res.status).toBe(416);
    expect(res.contentRange).toEqual({ unit: 'bytes', start: null, end: null, size: 10 });
  });

  it('split a multipart/byteranges answer into its parts', async () => {
    const res = await client.get('/file', { range: [{ start: 0, end: 1 }, { suffix: 2 }] });
    expect(res.byteRanges()).toEqual([
      {
        contentType: 'text/plain',
        contentRange: { unit: 'bytes', start: 0, end: 1, size: 10 },
        body: Buffer.from('01'),
      },
      {
        contentType: 'text/plain',
        contentRange: { unit: 'bytes', start: 8, end: 9, size: 10 },
        body: Buffer.from('89'),
      },
    ]);
  });

  it('refuse byteRanges() on a response that is not multipart/byteranges', async () => {
    const res = await client.get('/file');
    expect(res.contentRange).toBeNull();
    expect(() => res.byteRanges()).toThrow(
      expect.objectContaining({ code: 'BBWS_ERR_TESTING_NOT_BYTERANGES' }),
    );
  });

  it('parse Content-Range forms and refuse others', () => {
    expect(parseContentRange('bytes 0-0/*')).toEqual({ unit: 'bytes', start: 0, end: 0, size: null });
    expect(parseContentRange('bytes 0-/10')).toBeNull();
    expect(parseContentRange('bytes=0-1/10')).toBeNull();
    expect(parseContentRange(undefined)).toBeNull();
  });
});
