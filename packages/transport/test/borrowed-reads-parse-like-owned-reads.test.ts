import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BODY_END,
  BODY_PIECE,
  FAILED,
  NEED_MORE,
  type ParserLimits,
  REQUEST,
  RequestParser,
} from '../src/index.js';
import { type Outcome, parseAll, splitAt } from './support/parse-all.js';
import { pipelinedBytes } from './support/request-arbitraries.js';

// A TCP connection's reads land in one buffer that every socket shares (feedBorrowed): the
// parser reads them in place and copies only what outlives the read (detach). Held here
// against the parser fed with buffers of their own (feed), on generated pipelined requests
// split anywhere. Between reads the shared buffer is overwritten with bytes that look like
// requests, and every head, header list and body is read only after the last read: a view
// kept into the shared buffer shows up as a difference.

const limits: ParserLimits = { maxUrlLength: 64, maxHeaderBytes: 256, maxBodyBytes: 128 };

/** Bytes that would parse as something if a stale view read them. */
const SCRIBBLE = Buffer.from(
  'GET /scribbled HTTP/1.1\r\nHost: evil\r\nContent-Length: 3\r\n\r\nxyz\r\n0\r\n\r\n',
);

function scribble(shared: Buffer, round: number): void {
  for (let i = 0; i < shared.length; i++) shared[i] = SCRIBBLE[(i + round) % SCRIBBLE.length] as number;
}

/**
 * {@link parseAll}'s outcomes, the reads fed through one shared buffer that is scribbled over
 * after each; heads and bodies are turned into outcomes only after the last read.
 */
function parseAllBorrowed(reads: readonly Buffer[]): Outcome[] {
  const parser = new RequestParser(limits);
  const longest = Math.max(1, ...reads.map((r) => r.length));
  const shared = Buffer.alloc(longest + 97);
  const kept: Array<{ head: unknown; body: Buffer | null } | Outcome> = [];
  let round = 0;
  scribble(shared, round);
  for (const read of reads) {
    read.copy(shared, 0);
    parser.feedBorrowed(shared, read.length);
    let failed = false;
    for (;;) {
      const step = parser.next();
      if (step === NEED_MORE) break;
      if (step === FAILED) {
        kept.push({ failed: parser.errorStatus, reason: parser.errorReason });
        failed = true;
        break;
      }
      kept.push({ head: parser.head, body: parser.body });
    }
    parser.detach();
    scribble(shared, ++round);
    if (failed) return finish(kept);
  }
  kept.push({ end: parser.phase });
  return finish(kept);
}

function finish(kept: ReadonlyArray<{ head: unknown; body: Buffer | null } | Outcome>): Outcome[] {
  return kept.map((k) => {
    if (!('head' in k)) return k;
    const head = k.head as Record<string, unknown> & { headers: unknown };
    return { ...head, headers: head.headers, body: k.body?.toString('latin1') ?? null };
  });
}

/** Requests with their bodies in pieces (every body streams, up to 128 bytes): heads, pieces, ends. */
function streamAll(reads: readonly Buffer[], borrowed: boolean): string[] {
  const parser = new RequestParser(limits);
  parser.setStreamDecider(() => 128);
  const shared = Buffer.alloc(Math.max(1, ...reads.map((r) => r.length)) + 31);
  const events: Array<string | Buffer> = [];
  let round = 0;
  for (const read of reads) {
    if (borrowed) {
      read.copy(shared, 0);
      parser.feedBorrowed(shared, read.length);
    } else {
      parser.feed(read);
    }
    let failed = false;
    for (;;) {
      const step = parser.next();
      if (step === NEED_MORE) break;
      if (step === FAILED) {
        events.push(`failed ${parser.errorStatus} ${parser.errorReason}`);
        failed = true;
        break;
      }
      if (step === REQUEST) events.push(`request ${parser.head?.method} ${parser.head?.target}`);
      else if (step === BODY_PIECE) events.push(parser.piece);
      else if (step === BODY_END) events.push('end');
    }
    if (borrowed) {
      parser.detach();
      scribble(shared, ++round);
    }
    if (failed) break;
  }
  // Pieces are read now, after every later read: each must still hold its own bytes.
  return events.map((e) => (typeof e === 'string' ? e : `piece ${e.toString('latin1')}`));
}

describe('reads from a shared buffer parse like reads of their own', () => {
  it('gives the same requests, header lists, bodies and verdict, wherever the reads split', () => {
    fc.assert(
      fc.property(pipelinedBytes, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        const reads = splitAt(Buffer.from(text, 'latin1'), cuts);
        expect(parseAllBorrowed(reads)).toEqual(parseAll(reads, false, limits));
      }),
      { numRuns: 1500 },
    );
  });

  it('gives the same when every read is one byte', () => {
    fc.assert(
      fc.property(pipelinedBytes, (text) => {
        const reads = Array.from(Buffer.from(text, 'latin1'), (b) => Buffer.from([b]));
        expect(parseAllBorrowed(reads)).toEqual(parseAll(reads, false, limits));
      }),
      { numRuns: 300 },
    );
  });

  it('hands out the same body pieces when bodies stream', () => {
    fc.assert(
      fc.property(pipelinedBytes, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        const reads = splitAt(Buffer.from(text, 'latin1'), cuts);
        expect(streamAll(reads, true)).toEqual(streamAll(reads, false));
      }),
      { numRuns: 1000 },
    );
  });

  it('copies a body read whole, and keeps no view of the shared buffer after detach', () => {
    const parser = new RequestParser(limits);
    const shared = Buffer.alloc(256);
    const bytes = Buffer.from(
      'POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nHo',
    );
    bytes.copy(shared);
    parser.feedBorrowed(shared, bytes.length);
    expect(parser.next()).toBe(REQUEST);
    const body = parser.body as Buffer;
    expect(body.buffer).not.toBe(shared.buffer);
    expect(parser.next()).toBe(NEED_MORE);
    parser.detach();
    shared.fill(0x21);
    const rest = Buffer.from('st: h\r\n\r\n');
    rest.copy(shared);
    parser.feedBorrowed(shared, rest.length);
    expect(parser.next()).toBe(REQUEST);
    expect(parser.head?.target).toBe('/b');
    expect(parser.head?.authority).toBe('h');
    parser.detach();
    expect(body.toString()).toBe('hello');
  });

  it('refuses a second borrowed read before the first is detached', () => {
    const parser = new RequestParser(limits);
    const shared = Buffer.from('GET / HTTP/1.1\r\n');
    parser.feedBorrowed(shared, shared.length);
    expect(parser.next()).toBe(NEED_MORE);
    expect(() => parser.feedBorrowed(shared, shared.length)).toThrow(/not detached/);
  });
});
