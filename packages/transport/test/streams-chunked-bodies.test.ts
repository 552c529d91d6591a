import { describe, expect, it } from 'vitest';
import { DuplexPair, HttpServer, type RequestHandler } from '../src/index.js';
import { ByteReader, readResponse } from './support/wire.js';

const endpoint = { ip: '127.0.0.1', port: 5000, domain: '', isTls: false };

function serve(handler: RequestHandler) {
  const server = new HttpServer({ handler, listeners: [] });
  const pair = new DuplexPair();
  server.serve(pair.server, endpoint, '127.0.0.1');
  return { pair, reader: new ByteReader(pair.client) };
}

describe('ResponseSink.stream', () => {
  it('frames each chunk with chunked coding and keeps the connection', async () => {
    const { pair, reader } = serve((_req, sink) => {
      void sink.stream(
        200,
        'Content-Type: text/plain\r\n',
        (async function* () {
          yield 'ab';
          yield Buffer.from('cde');
        })(),
      );
    });
    pair.client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const res = await readResponse(reader);
    expect(res.headerList).toContainEqual(['transfer-encoding', 'chunked']);
    expect(res.body.toString()).toBe('abcde');
    pair.client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect((await readResponse(reader)).body.toString()).toBe('abcde');
    pair.client.destroy();
  });

  it('calls return() on the source when the client goes away', async () => {
    let finalized = false;
    let release: () => void = () => {};
    const { pair, reader } = serve((_req, sink) => {
      void sink.stream(
        200,
        '',
        (async function* () {
          try {
            yield 'first';
            await new Promise<void>((resolve) => {
              release = resolve;
            });
            yield 'never read';
          } finally {
            finalized = true;
          }
        })(),
      );
    });
    pair.client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await reader.next();
    pair.client.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(finalized).toBe(true);
  });

  it('writes a fixed-length stream with Content-Length', async () => {
    const { pair, reader } = serve((_req, sink) => {
      void sink.streamFixed(
        206,
        '',
        4,
        (async function* () {
          yield Buffer.from('12');
          yield Buffer.from('34');
        })(),
      );
    });
    pair.client.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const res = await readResponse(reader);
    expect(res.status).toBe(206);
    expect(res.headerList).toContainEqual(['content-length', '4']);
    expect(res.body.toString()).toBe('1234');
  });
});
