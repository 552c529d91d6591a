import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type ParserLimits, RequestParser } from '../src/index.js';
import { readHeadsByteWise } from '../src/parser/request-parser.js';
import { parseAll } from './support/parse-all.js';
import { pipelinedBytes } from './support/request-arbitraries.js';

const limits: ParserLimits = { maxUrlLength: 128, maxHeaderBytes: 1024, maxBodyBytes: 256 };

const nameUnits = fc.constantFrom('a', 'B', 'x', 'Z', '-', '_', '0', '!', '~', ' ', '(', '\t', ':', '\x80');
const valueUnits = fc.constantFrom(
  'v',
  'V',
  ' ',
  '\t',
  ':',
  ';',
  '"',
  '\x7f',
  '\x00',
  '\x1f',
  '\r',
  '\n',
  '\xe9',
  '\xff',
);
/** Field lines built byte by byte: mostly valid, with whitespace, case and stray bytes where they may break the line. */
const fieldLine = fc.oneof(
  fc
    .tuple(fc.string({ unit: nameUnits, maxLength: 12 }), fc.string({ unit: valueUnits, maxLength: 16 }))
    .map(([name, value]) => `${name}:${value}`),
  fc
    .tuple(
      fc.constantFrom(
        'HOST',
        'host',
        'Content-LENGTH',
        'TRANSFER-encoding',
        'CONNECTION',
        'eXpect',
        'Cookie',
        'Hosts',
        'Expec',
        'Connections',
        'Content-Lengt',
        'Content-Type',
        'Cache-Control',
        'TE',
      ),
      fc.constantFrom('', ' ', '\t', '  \t'),
      fc.constantFrom('h.test', '5', 'chunked', 'close, Keep-Alive', '100-CONTINUE', 'a=b', ''),
      fc.constantFrom('', ' ', '\t '),
    )
    .map(([name, before, value, after]) => `${name}:${before}${value}${after}`),
);
const generatedHead = fc
  .tuple(
    fc.oneof(
      fc.constantFrom('GET /a?b=c HTTP/1.1', 'POST / HTTP/1.1', 'GET / HTTP/1.0', 'OPTIONS * HTTP/1.1'),
      fc
        .tuple(
          fc.constantFrom('GET', 'CONNECT', 'M-SEARCH', 'G#T', 'OPTIONS', 'GET '),
          fc.string({
            unit: fc.constantFrom('/', 'a', '?', '#', '=', '*', ':', '@', '\x7f', '\t', 'h'),
            maxLength: 12,
          }),
          fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/1.9', 'HTTP/2.0', 'HTTP/1.1 ', 'HTTP/11'),
        )
        .map(([method, target, version]) => `${method} ${target} ${version}`),
    ),
    fc.boolean(),
    fc.array(fieldLine, { maxLength: 8 }),
    fc.constantFrom('', 'xyzxyz', '3\r\nabc\r\n0\r\n\r\n'),
  )
  .map(([line, hasHost, fields, rest]) => {
    const lines = hasHost ? ['Host: h.test', ...fields] : fields;
    return `${line}\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n${rest}`;
  });

describe('the fast request-line and header-line paths and the byte-wise readers', () => {
  afterEach(() => readHeadsByteWise(false));

  it('read every generated head alike: the same requests, header lists, framing and verdicts', () => {
    fc.assert(
      fc.property(fc.oneof(pipelinedBytes, generatedHead), (text) => {
        const bytes = Buffer.from(text, 'latin1');
        expect(parseAll([bytes], false, limits)).toEqual(parseAll([bytes], true, limits));
      }),
      { numRuns: 3000 },
    );
  });

  it('cuts a browser head into lower-case names and trimmed values only when they are read', () => {
    const text =
      'GET /hello?q=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent:  Mozilla/5.0 \t\r\n' +
      'Accept-Language:en\r\nCookie: a=b; c=d\r\nX-Empty:\r\nConnection: keep-alive\r\n\r\n';
    const parser = new RequestParser(limits);
    parser.feed(Buffer.from(text, 'latin1'));
    expect(parser.next()).toBe(1);
    const head = parser.head;
    expect(head?.authority).toBe('127.0.0.1');
    expect(head?.wantsKeepAlive).toBe(true);
    expect(head?.headers).toEqual([
      'host',
      '127.0.0.1',
      'user-agent',
      'Mozilla/5.0',
      'accept-language',
      'en',
      'cookie',
      'a=b; c=d',
      'x-empty',
      '',
      'connection',
      'keep-alive',
    ]);
    // Cut once: the same array on every read, and the handler's to edit.
    expect(head?.headers).toBe(head?.headers);
  });
});
