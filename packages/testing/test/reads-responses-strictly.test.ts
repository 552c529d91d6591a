import { PassThrough } from 'node:stream';
import { ByteReader, readResponse, TestingError } from '@bbws/testing';
import { describe, expect, it } from 'vitest';

/** Feeds `wire` to a reader in pieces cut at `cuts`, then ends the stream. */
async function read(wire: string, cuts: number[] = [], isHead = false) {
  const stream = new PassThrough();
  const reader = new ByteReader(stream);
  // Settled into a value at once, so a rejection before the last write is not "unhandled".
  const pending = readResponse(reader, isHead).then(
    (response) => ({ response, error: null }),
    (error: unknown) => ({ response: null, error }),
  );
  let at = 0;
  for (const cut of [...cuts, wire.length]) {
    stream.write(Buffer.from(wire.slice(at, cut), 'latin1'));
    at = cut;
    await new Promise((resolve) => setImmediate(resolve));
  }
  stream.end();
  const { response, error } = await pending;
  if (response === null) throw error;
  return { response, reader };
}

const CHUNKED =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n' +
  '5;ext=1\r\nhello\r\n1\r\n \r\nA\r\nworld!!!!!\r\n0\r\nX-Sum: 42\r\n\r\n';

describe('readResponse', () => {
  it('decodes chunked coding, keeps chunk boundaries and reads trailers, wherever the bytes are split', async () => {
    for (let cut = 1; cut < CHUNKED.length; cut++) {
      const { response } = await read(CHUNKED, [cut]);
      expect(response.body.toString()).toBe('hello world!!!!!');
      expect(response.chunks.map(String)).toEqual(['hello', ' ', 'world!!!!!']);
      expect(response.trailerList).toEqual([['x-sum', '42']]);
    }
  });

  it('leaves bytes after the response for the next one', async () => {
    const { response, reader } = await read(
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 204 No Content\r\n\r\n',
    );
    expect(response.body.toString()).toBe('ok');
    expect((await readResponse(reader)).status).toBe(204);
  });

  it('reads a close-delimited body until the end of the stream', async () => {
    const { response } = await read('HTTP/1.0 200 OK\r\n\r\nuntil close', [20, 25]);
    expect(response.versionMinor).toBe(0);
    expect(response.body.toString()).toBe('until close');
  });

  it('reads no body for HEAD, 204 and 304 whatever the headers say', async () => {
    expect((await read('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', [], true)).response.body).toHaveLength(
      0,
    );
    expect((await read('HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n')).response.body).toHaveLength(
      0,
    );
  });

  it.each([
    ['a malformed status line', 'HTTP/2 200 OK\r\n\r\n', 'BBWS_ERR_TESTING_RESPONSE_MALFORMED'],
    ['a header without a colon', 'HTTP/1.1 200 OK\r\nBroken\r\n\r\n', 'BBWS_ERR_TESTING_RESPONSE_MALFORMED'],
    ['space before the colon', 'HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n', 'BBWS_ERR_TESTING_RESPONSE_MALFORMED'],
    [
      'both Content-Length and Transfer-Encoding',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'BBWS_ERR_TESTING_RESPONSE_MALFORMED',
    ],
    [
      'differing Content-Length fields',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      'BBWS_ERR_TESTING_RESPONSE_MALFORMED',
    ],
    [
      'a bad chunk size',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'BBWS_ERR_TESTING_RESPONSE_MALFORMED',
    ],
    [
      'a chunk not followed by CRLF',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n',
      'BBWS_ERR_TESTING_RESPONSE_MALFORMED',
    ],
    ['a truncated head', 'HTTP/1.1 200 OK\r\nContent-', 'BBWS_ERR_TESTING_CONNECTION_CLOSED'],
    [
      'a truncated body',
      'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc',
      'BBWS_ERR_TESTING_CONNECTION_CLOSED',
    ],
    [
      'a chunked body without its last chunk',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n',
      'BBWS_ERR_TESTING_CONNECTION_CLOSED',
    ],
  ])('refuses %s', async (_, wire, code) => {
    const error = await read(wire).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestingError);
    expect((error as TestingError).code).toBe(code);
  });
});
