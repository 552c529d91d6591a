import fc from 'fast-check';
import { requestBytes } from '../../../packages/transport/test/support/request-arbitraries.js';

/**
 * Requests for the fuzz drill (latin1 strings): the transport's generated requests (valid and
 * subtly broken), the same with byte-level mutations, and chunked bodies with broken framing.
 * No request uses HEAD: a response to HEAD carries Content-Length without a body, which a
 * reader of a batch cannot tell from a framing error without knowing which request it answers.
 */

/** Bytes and pieces that matter to an HTTP/1.1 parser, inserted whole. */
const TOKENS = fc.constantFrom(
  '\r\n',
  '\r\n\r\n',
  '\r',
  '\n',
  ' ',
  '\t',
  ':',
  '\x00',
  '\x7f',
  '\x1b',
  '\xff',
  ';',
  '"',
  ',',
  '%',
  '%00',
  '/../',
  '?',
  '#',
  '*',
  '@',
  'chunked',
  'Transfer-Encoding: chunked\r\n',
  'Transfer-Encoding: identity\r\n',
  'Content-Length: 5\r\n',
  'Content-Length: 0\r\n',
  'Content-Length: 18446744073709551616\r\n',
  'Content-Length: -1\r\n',
  'Host: h.test\r\n',
  'Connection: close\r\n',
  'Connection: keep-alive\r\n',
  'Expect: 100-continue\r\n',
  '0\r\n\r\n',
  'ffffffffffffffff\r\n',
  '5;ext="a\r\n',
  'HTTP/1.1',
  'HTTP/1.0',
  'HTTP/9.9',
  'GET ',
  'POST ',
  'CONNECT h:80 ',
  'OPTIONS * ',
  'http://h.test:99999/',
  '[::1]',
);

/** Rare long pieces: a target over max_url_length (414), a head over max_header_size (431). */
const LONG_TOKENS = fc.constantFrom(`/${'u'.repeat(2100)}`, `X-Big: ${'b'.repeat(16_500)}\r\n`);

type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly count: number }
  | { readonly kind: 'truncate'; readonly at: number };

/** Positions are fractions of the length, so one mutation fits requests of any size. */
const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      at: position,
      bit: fc.integer({ min: 0, max: 7 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: position,
      text: fc.oneof(
        { arbitrary: TOKENS, weight: 12 },
        { arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 6 }), weight: 6 },
        {
          arbitrary: fc
            .uint8Array({ minLength: 1, maxLength: 4 })
            .map((b) => Buffer.from(b).toString('latin1')),
          weight: 3,
        },
        { arbitrary: LONG_TOKENS, weight: 1 },
      ),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: position,
      count: fc.integer({ min: 1, max: 8 }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('duplicate' as const),
      at: position,
      count: fc.integer({ min: 1, max: 40 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: position }), weight: 1 },
);

function mutate(text: string, m: Mutation): string {
  const at = Math.floor(m.at * (text.length + 1));
  switch (m.kind) {
    case 'flip': {
      if (text.length === 0) return text;
      const i = Math.min(at, text.length - 1);
      return text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ (1 << m.bit)) + text.slice(i + 1);
    }
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.count);
    case 'duplicate':
      return text.slice(0, at + m.count) + text.slice(at, at + m.count) + text.slice(at + m.count);
    case 'truncate':
      return text.slice(0, Math.max(1, at));
  }
}

const mutatedRequest = fc
  .tuple(requestBytes, fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([text, mutations]) => mutations.reduce(mutate, text));

/** One piece of a chunked body, right or wrong in one of the ways RFC 9112 §7.1 forbids. */
const chunkPiece = fc.oneof(
  fc.integer({ min: 1, max: 40 }).map((n) => `${n.toString(16)}\r\n${'c'.repeat(n)}\r\n`),
  fc.integer({ min: 1, max: 40 }).map((n) => `${n.toString(16)}\r\n${'c'.repeat(n + 1)}\r\n`),
  fc.integer({ min: 2, max: 40 }).map((n) => `${n.toString(16)}\r\n${'c'.repeat(n - 1)}\r\n`),
  fc.constantFrom(
    '5\r\nabcde',
    '5\r\nabcde\n',
    '5\nabcde\r\n',
    ' 5\r\nabcde\r\n',
    '5 \r\nabcde\r\n',
    '+5\r\nabcde\r\n',
    '-5\r\nabcde\r\n',
    '0x5\r\nabcde\r\n',
    'fffffffffffffff\r\nabc\r\n',
    '10000000000000000\r\n',
    '5;\r\nabcde\r\n',
    '5;a=\r\nabcde\r\n',
    '5;a="b\r\nabcde\r\n',
    '5;a=b\r\nabcde\r\n',
    '\r\n',
    'g\r\n',
  ),
);

const chunkEnding = fc.constantFrom(
  '0\r\n\r\n',
  '0\r\n',
  '0\r\nT: v\r\n\r\n',
  '0\r\nbad trailer\r\n\r\n',
  '0\r\n\n',
  '',
);

const brokenChunkedRequest = fc
  .tuple(
    fc.constantFrom('/hello', '/', '/x?y=z'),
    fc.array(chunkPiece, { minLength: 1, maxLength: 5 }),
    chunkEnding,
  )
  .map(
    ([path, pieces, ending]) =>
      `POST ${path} HTTP/1.1\r\nHost: h.test\r\nTransfer-Encoding: chunked\r\n\r\n${pieces.join('')}${ending}`,
  );

/** One fuzz request: generated as is, mutated, or with broken chunk framing. */
export const fuzzRequest: fc.Arbitrary<string> = fc
  .oneof(
    { arbitrary: requestBytes, weight: 3 },
    { arbitrary: mutatedRequest, weight: 5 },
    { arbitrary: brokenChunkedRequest, weight: 2 },
  )
  .map((text) => text.replace(/HEAD/g, 'HEAX'));
