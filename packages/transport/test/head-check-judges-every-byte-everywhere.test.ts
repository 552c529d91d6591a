import { afterEach, describe, expect, it } from 'vitest';
import type { ParserLimits } from '../src/index.js';
import { readHeadsByteWise } from '../src/parser/request-parser.js';
import { type Outcome, parseAll } from './support/parse-all.js';

// The check of a head's field lines (a regular expression today; a word-at-a-time check was
// measured against it) must judge every byte value wherever it sits: in a name or a value, at
// the start, the middle or the end, at every offset modulo 8 in memory, in one read or split,
// alone or after another head. Each head is judged three ways: by the fast path, by the
// byte-by-byte readers (readHeadsByteWise), and by the grammar written out here from the RFCs
// (no table of the parser), so a wrong check fails even where both readers would agree.

const limits: ParserLimits = { maxUrlLength: 256, maxHeaderBytes: 4096, maxBodyBytes: 256 };

/** RFC 9110 §5.6.2 tchar. */
const TCHAR = new Set(Array.from("!#$%&'*+-.^_`|~0123456789", (c) => c.charCodeAt(0)));
for (let b = 0x41; b <= 0x5a; b++) TCHAR.add(b).add(b + 0x20);
/** RFC 9110 §5.5: HTAB, SP, VCHAR, obs-text. */
const isFieldValueByte = (b: number) => b === 0x09 || (b >= 0x20 && b !== 0x7f);

/** `bytes` placed `offset` bytes into a memory of its own, so its words start anywhere. */
function placed(bytes: Buffer, offset: number): Buffer {
  const memory = new ArrayBuffer(offset + bytes.length + (offset & 3));
  const view = Buffer.from(memory, offset, bytes.length);
  bytes.copy(view);
  return view;
}

/**
 * Judges `text` fast and byte-wise, in one read at `offset`, split in two reads at `split`
 * (when given), and after a first head of `lead` bytes in the same read: all alike. Returns
 * the one-read outcomes.
 */
function judgedAlike(text: string, offset: number, split: number | null, lead: number): Outcome[] {
  const bytes = Buffer.from(text, 'latin1');
  const one = [placed(bytes, offset)];
  const outcomes = parseAll(one, false, limits);
  expect(outcomes).toEqual(parseAll(one, true, limits));
  if (split !== null) {
    const reads = [placed(bytes.subarray(0, split), offset), placed(bytes.subarray(split), offset + 1)];
    expect(parseAll(reads, false, limits)).toEqual(outcomes);
  }
  const first = `GET /${'p'.repeat(lead)} HTTP/1.1\r\nHost: a\r\n\r\n`;
  const both = [placed(Buffer.from(first + text, 'latin1'), offset)];
  const pipelined = parseAll(both, false, limits);
  expect(pipelined).toEqual(parseAll(both, true, limits));
  expect(pipelined.slice(1)).toEqual(outcomes);
  return outcomes;
}

describe('the check of the field lines', () => {
  afterEach(() => readHeadsByteWise(false));

  it('judges every byte value at every place in a value of 1 to 17 bytes, as the grammar does', () => {
    let heads = 0;
    for (let length = 1; length <= 17; length++) {
      for (let at = 0; at < length; at++) {
        for (let b = 0; b < 256; b++) {
          const value = `${'v'.repeat(at)}${String.fromCharCode(b)}${'w'.repeat(length - at - 1)}`;
          // The line before varies in length too, so the byte falls on every offset modulo 8
          // from the start of the head, and the memory offset varies besides.
          const pad = 'x'.repeat((b + at) & 7);
          const text = `GET /v HTTP/1.1\r\nHost: h.test\r\nX-Pad: ${pad}\r\nX-T: ${value}\r\nAccept: */*\r\n\r\n`;
          const split = (b & 15) === 0 ? text.indexOf('X-T') + 5 + at : null;
          const outcomes = judgedAlike(text, (b * 5 + at) & 7, split, (b + length) & 7);
          heads++;
          // By the grammar: any field-value byte is served (leading and trailing whitespace is
          // not part of the value), any other is 400.
          if (isFieldValueByte(b)) {
            expect(outcomes[0]).toMatchObject({ path: '/v' });
            const headers = outcomes[0]?.headers as string[];
            expect(headers[headers.indexOf('x-t') + 1]).toBe(value.replace(/^[ \t]+|[ \t]+$/g, ''));
          } else {
            expect(outcomes[0]).toMatchObject({ failed: 400 });
          }
        }
      }
    }
    expect(heads).toBe(153 * 256);
  });

  it('judges empty values and values of whitespace, CR and LF alone, and tabs and obs-text in runs', () => {
    const values = ['', ' ', '\t', ' \t ', '\r', '\n', '\r\r', '\n\n', 'a\rb', 'a\nb', '\t\t\ta\t\t\t'];
    for (let n = 1; n <= 17; n++) {
      values.push(
        '\t'.repeat(n),
        '\xff'.repeat(n),
        '\x80'.repeat(n),
        `a${'\t'.repeat(n)}b`,
        '\x7f'.repeat(n),
      );
    }
    for (const value of values) {
      for (let offset = 0; offset < 8; offset++) {
        const text = `GET / HTTP/1.1\r\nHost: h\r\nX-T:${value}\r\n\r\n`;
        const outcomes = judgedAlike(text, offset, text.indexOf('X-T') + 4, offset);
        const isValid = Array.from(value, (c) => c.charCodeAt(0)).every(isFieldValueByte);
        expect(outcomes[0], JSON.stringify(value)).toMatchObject(isValid ? { path: '/' } : { failed: 400 });
      }
    }
  });

  it('judges every byte value at every place in a name of 1 to 9 bytes, as the grammar does', () => {
    for (let length = 1; length <= 9; length++) {
      for (let at = 0; at < length; at++) {
        for (let b = 0; b < 256; b++) {
          const name = `${'n'.repeat(at)}${String.fromCharCode(b)}${'m'.repeat(length - at - 1)}`;
          const pad = 'y'.repeat((b + at) & 7);
          const text = `GET /n HTTP/1.1\r\nHost: h.test\r\nX-Pad: ${pad}\r\n${name}: v\r\n\r\n`;
          const split = (b & 15) === 1 ? text.indexOf(name) + at + 1 : null;
          const outcomes = judgedAlike(text, (b * 3 + at) & 7, split, (b + length) & 7);
          // A colon inside the name ends it early: valid when a name remains before it.
          const isValid = TCHAR.has(b) || (b === 0x3a && at > 0);
          expect(outcomes[0], JSON.stringify(name)).toMatchObject(isValid ? { path: '/n' } : { failed: 400 });
        }
      }
    }
  });

  it('reads the framing fields of a valid head checked fast as the byte-wise reader does', () => {
    const text =
      'POST /f HTTP/1.1\r\nHOST:\th.test \r\nX-A: \xe9\t\xff\r\ncontent-LENGTH: 3\r\nConnection: close\r\n\r\nabc';
    for (let offset = 0; offset < 8; offset++) {
      const outcomes = judgedAlike(text, offset, null, offset);
      expect(outcomes[0]).toMatchObject({
        authority: 'h.test',
        contentLength: 3,
        wantsKeepAlive: false,
        body: 'abc',
      });
      expect(outcomes[0]?.headers).toEqual([
        'host',
        'h.test',
        'x-a',
        '\xe9\t\xff',
        'content-length',
        '3',
        'connection',
        'close',
      ]);
    }
  });
});
