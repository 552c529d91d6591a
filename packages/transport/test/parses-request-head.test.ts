import { describe, expect, it } from 'vitest';
import { parseRequestHead } from '../src/parser/request-parser.js';

describe('parseRequestHead', () => {
  it('reads the request line and headers', () => {
    const head = parseRequestHead(
      Buffer.from('GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Y:  z \r\n\r\nrest'),
      16_384,
    );
    expect(head).toEqual({
      kind: 'head',
      method: 'GET',
      target: '/a?b=1',
      versionMinor: 1,
      headers: ['host', 'x', 'x-y', 'z'],
      end: 42,
    });
  });

  it('waits for more bytes on an incomplete head', () => {
    expect(parseRequestHead(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n'), 16_384).kind).toBe('incomplete');
  });

  it('answers 431 for a head larger than the limit and 505 for an unknown version', () => {
    expect(parseRequestHead(Buffer.alloc(100, 'a'), 64)).toMatchObject({ kind: 'error', status: 431 });
    expect(parseRequestHead(Buffer.from('GET / HTTP/2.0\r\n\r\n'), 64)).toMatchObject({
      kind: 'error',
      status: 505,
    });
  });
});
