import { describe, expect, it } from 'vitest';
import { FAILED, type HttpRequest, REQUEST, type RequestHandler, RequestParser } from '../src/index.js';
import { readHeadsByteWise } from '../src/parser/request-parser.js';
import { header, RawClient, startServer } from './support/servers.js';

const limits = { maxUrlLength: 2048, maxHeaderBytes: 8192, maxBodyBytes: 1 << 20 };

/** Feeds each request to one parser (a keep-alive connection) and returns each head or 'failed'. */
function parseEach(requests: readonly string[]) {
  const parser = new RequestParser(limits);
  return requests.map((text) => {
    parser.feed(Buffer.from(text, 'latin1'));
    const step = parser.next();
    if (step === FAILED) return { failed: parser.errorStatus };
    expect(step).toBe(REQUEST);
    const head = parser.head;
    if (head === null) throw new Error('no head after REQUEST');
    return { target: head.target, path: head.path, query: head.query, headers: head.headers };
  });
}

describe('a keep-alive connection that repeats its target and header values', () => {
  it('reads a changed target, a longer one and a shorter one, not the previous strings', () => {
    const heads = parseEach([
      'GET /hello?a=1 HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /hello?a=1 HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /hello?a=12 HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /hello?a HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /hellO?a=1 HTTP/1.1\r\nHost: x\r\n\r\n',
    ]);
    expect(heads.map((h) => ('target' in h ? [h.target, h.path, h.query] : h))).toEqual([
      ['/hello?a=1', '/hello', 'a=1'],
      ['/hello?a=1', '/hello', 'a=1'],
      ['/hello?a=12', '/hello', 'a=12'],
      ['/hello?a', '/hello', 'a'],
      ['/hellO?a=1', '/hellO', 'a=1'],
    ]);
  });

  it('reuses a target with a fragment only for the same bytes, with its path and query', () => {
    // A header value changes each time, so the whole-head cache misses and the target cache is what is tested.
    const heads = parseEach([
      'GET /a?x=1#f HTTP/1.1\r\nHost: x\r\nX-N: 1\r\n\r\n',
      'GET /a?x=1#f HTTP/1.1\r\nHost: x\r\nX-N: 2\r\n\r\n',
      'GET /a?x=1 HTTP/1.1\r\nHost: x\r\nX-N: 3\r\n\r\n',
      'GET /a?x=1#g?y=2 HTTP/1.1\r\nHost: x\r\nX-N: 4\r\n\r\n',
      'GET /a?x=1#g?y=2 HTTP/1.1\r\nHost: x\r\nX-N: 5\r\n\r\n',
      'GET /a#?x=1 HTTP/1.1\r\nHost: x\r\nX-N: 6\r\n\r\n',
      'GET /a HTTP/1.1\r\nHost: x\r\nX-N: 7\r\n\r\n',
    ]);
    expect(heads.map((h) => ('target' in h ? [h.target, h.path, h.query] : h))).toEqual([
      ['/a?x=1#f', '/a', 'x=1'],
      ['/a?x=1#f', '/a', 'x=1'],
      ['/a?x=1', '/a', 'x=1'],
      ['/a?x=1#g?y=2', '/a', 'x=1'],
      ['/a?x=1#g?y=2', '/a', 'x=1'],
      ['/a#?x=1', '/a', ''],
      ['/a', '/a', ''],
    ]);
  });

  it('reads values that grow, shrink, gain trailing spaces or move to another name', () => {
    const heads = parseEach([
      'GET / HTTP/1.1\r\nHost: example.com\r\nX-A: abc\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: example.com\r\nX-A: abc\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: example.com\r\nX-A: abcd\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: example.com\r\nX-A: ab\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: example.com\r\nX-A: ab  \r\n\r\n',
      'GET / HTTP/1.1\r\nX-B: example.com\r\nHost: ab\r\n\r\n',
    ]);
    expect(heads.map((h) => ('headers' in h ? h.headers : h))).toEqual([
      ['host', 'example.com', 'x-a', 'abc'],
      ['host', 'example.com', 'x-a', 'abc'],
      ['host', 'example.com', 'x-a', 'abcd'],
      ['host', 'example.com', 'x-a', 'ab'],
      ['host', 'example.com', 'x-a', 'ab'],
      ['x-b', 'example.com', 'host', 'ab'],
    ]);
  });

  it('still validates a Host whose bytes were a valid value of another header before', () => {
    const heads = parseEach([
      'GET / HTTP/1.1\r\nHost: x\r\nX-A: a b\r\n\r\n',
      'GET / HTTP/1.1\r\nX-B: x\r\nHost: a b\r\n\r\n',
    ]);
    expect(heads[1]).toEqual({ failed: 400 });
  });

  it('still rejects a bad byte after a repeated value prefix', () => {
    const heads = parseEach([
      'GET / HTTP/1.1\r\nHost: x\r\nX-A: abc\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nX-A: abc\x7f\r\n\r\n',
    ]);
    expect(heads[1]).toEqual({ failed: 400 });
  });

  it('reads an identical head again as the same request, with its own headers array', () => {
    const parser = new RequestParser(limits);
    const text = 'GET /a?b=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    const heads = [];
    for (const piece of [text, text, text.replace('b=1', 'b=2'), text + text]) {
      parser.feed(Buffer.from(piece, 'latin1'));
      while (parser.next() === REQUEST) heads.push(parser.head);
    }
    expect(heads).toHaveLength(5);
    expect(heads.map((h) => h?.query)).toEqual(['b=1', 'b=1', 'b=2', 'b=1', 'b=1']);
    expect(heads.every((h) => h?.wantsKeepAlive === false && h.contentLength === -1)).toBe(true);
    expect(heads[1]?.headers).toEqual(heads[0]?.headers);
    expect(heads[1]?.headers).not.toBe(heads[0]?.headers);
  });

  it("a handler that edits a repeated head's headers changes no later head's", () => {
    const parser = new RequestParser(limits);
    const text = 'GET /a HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n';
    const heads = [];
    for (let i = 0; i < 4; i++) {
      parser.feed(Buffer.from(text, 'latin1'));
      expect(parser.next()).toBe(REQUEST);
      const head = parser.head;
      heads.push(head);
      // Every head is edited in place, as a handler may: the first, parsed, and the repeats.
      head?.headers.splice(0, 2, 'host', `edited ${i}`);
      head?.headers.push('x-added', String(i));
    }
    // The repeats are copies of the remembered head: each read its list before any edit.
    parser.feed(Buffer.from(text, 'latin1'));
    expect(parser.next()).toBe(REQUEST);
    expect(parser.head?.headers).toEqual(['host', 'x', 'accept', '*/*']);
    expect(heads.map((h) => h?.headers[1])).toEqual(['edited 0', 'edited 1', 'edited 2', 'edited 3']);
    expect(new Set(heads.map((h) => h?.headers)).size).toBe(4);
  });

  it('repeats whose lists are cut late, after later heads were parsed and edited, read their own bytes', () => {
    for (const byteWise of [false, true]) {
      // Byte-wise, the remembered head carries a list already cut, which each repeat copies;
      // otherwise each repeat cuts its own list from the remembered head's text on first read.
      readHeadsByteWise(byteWise);
      try {
        const parser = new RequestParser(limits);
        const text = 'GET /a HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n';
        const heads = [];
        for (let i = 0; i < 3; i++) {
          parser.feed(Buffer.from(text, 'latin1'));
          expect(parser.next()).toBe(REQUEST);
          heads.push(parser.head);
        }
        // The last repeat is edited first; the earlier ones have not read their lists yet.
        heads[2]?.headers.splice(0, 4, 'host', 'edited');
        parser.feed(Buffer.from(text, 'latin1'));
        expect(parser.next()).toBe(REQUEST);
        heads.push(parser.head);
        expect(heads.map((h) => h?.headers)).toEqual([
          ['host', 'x', 'accept', '*/*'],
          ['host', 'x', 'accept', '*/*'],
          ['host', 'edited'],
          ['host', 'x', 'accept', '*/*'],
        ]);
        expect(new Set(heads.map((h) => h?.headers)).size).toBe(4);
      } finally {
        readHeadsByteWise(false);
      }
    }
  });

  it('tells apart heads of every length that differ in one bit of any one byte, obs-text included', () => {
    // The remembered bytes are compared eight at a time, packed into numbers, then one by one:
    // heads of 16 lengths in a row put the changed byte at every place in a word and in the
    // tail, and each of its 8 bits is flipped (0x80 gives obs-text), in both directions.
    const parser = new RequestParser(limits);
    const xvOf = (text: string) => {
      parser.feed(Buffer.from(text, 'latin1'));
      expect(parser.next()).toBe(REQUEST);
      return parser.head?.headers[3];
    };
    const head = (value: string) => `GET /a HTTP/1.1\r\nHost: x\r\nX-V: ${value}\r\n\r\n`;
    let checked = 0;
    for (let n = 1; n <= 16; n++) {
      const base = 'a'.repeat(n);
      for (let j = 0; j < n; j++) {
        for (let bit = 0; bit < 8; bit++) {
          const changed = base.slice(0, j) + String.fromCharCode(0x61 ^ (1 << bit)) + base.slice(j + 1);
          for (const [first, then] of [
            [base, changed],
            [changed, base],
          ]) {
            const seen = [xvOf(head(first)), xvOf(head(first)), xvOf(head(then))];
            expect(seen).toEqual([first, first, then]);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(2 * 8 * ((16 * 17) / 2));
  });

  it('reads an identical head that arrives split, byte by byte or behind a stray CRLF', () => {
    const parser = new RequestParser(limits);
    const text = 'GET /a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\r\n';
    const queries: Array<string | undefined> = [];
    const pieces = [text, text.slice(0, 9), text.slice(9), ...Array.from(text), `\r\n${text}`];
    for (const piece of pieces) {
      parser.feed(Buffer.from(piece, 'latin1'));
      while (parser.next() === REQUEST) queries.push(parser.head?.headers[3]);
    }
    expect(queries).toEqual(['1', '1', '1', '1']);
    parser.feed(Buffer.from(text.replace('X-A: 1', 'X-A: 2'), 'latin1'));
    expect(parser.next()).toBe(REQUEST);
    expect(parser.head?.headers[3]).toBe('2');
  });

  it('reads a body after a remembered head that differs only in its Content-Length line', () => {
    const parser = new RequestParser(limits);
    parser.feed(Buffer.from('POST / HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'));
    expect(parser.next()).toBe(REQUEST);
    expect(parser.body).toBeNull();
    parser.feed(Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok', 'latin1'));
    expect(parser.next()).toBe(REQUEST);
    expect(parser.body?.toString()).toBe('ok');
    parser.feed(Buffer.from('POST / HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'));
    expect(parser.next()).toBe(REQUEST);
    expect(parser.body).toBeNull();
  });

  it('finds the end of heads of every length around the short-scan limit', () => {
    for (const size of [0, 1, 2, 3, 500, 1000, 1017, 1018, 1019, 1020, 1021, 1030, 3000]) {
      const [head] = parseEach([`GET / HTTP/1.1\r\nHost: x\r\nX-P: ${'p'.repeat(size)}\r\n\r\n`]);
      expect(head && 'headers' in head ? head.headers[3]?.length : head).toBe(size);
    }
  });
});

describe('responses repeated across connections', () => {
  it('carry the Connection line, status and body of their own request', async () => {
    let status = 200;
    const handler: RequestHandler = (request: HttpRequest, sink) => {
      sink.send(status, 'Content-Type: text/plain\r\n', request.path === '/other' ? 'other' : 'same');
    };
    const server = await startServer({ handler });
    const client = await RawClient.connect(server.port);
    try {
      const read = async (text: string) => {
        client.write(text);
        const response = await client.read(text.startsWith('HEAD'));
        return [response.status, header(response, 'connection'), response.body.toString('latin1')];
      };
      expect(await read('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toEqual([200, undefined, 'same']);
      expect(await read('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toEqual([200, undefined, 'same']);
      expect(await read('GET /other HTTP/1.1\r\nHost: x\r\n\r\n')).toEqual([200, undefined, 'other']);
      status = 201;
      expect(await read('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toEqual([201, undefined, 'same']);
      expect(await read('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toEqual([201, undefined, 'same']);
      expect(await read('HEAD / HTTP/1.1\r\nHost: x\r\n\r\n')).toEqual([201, undefined, '']);
      expect(await read('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toEqual([
        201,
        'close',
        'same',
      ]);
    } finally {
      client.close();
      await server.stop();
    }
  });
});
