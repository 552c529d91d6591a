import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAILED, NEED_MORE, REQUEST, RequestParser } from '../src/index.js';
import { BodyBuffer, SharedBodyBudget } from '../src/parser/body-buffer.js';

// Issue 15, the body drill (b): a body buffer that doubled left its outgrown generations
// (1 + 2 + 4 + 8 MiB for a 10 MB body) to V8's next collection. A body's first MiB is now a
// list of blocks filled by copying; past it the body grows in place in one resizable buffer,
// and the budget it draws from is returned on every path.

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const MiB = 1_048_576;
const LIMITS = { maxUrlLength: 2048, maxHeaderBytes: 16_384, maxBodyBytes: 16 * MiB };

/** Deterministic bytes that differ at every offset of interest (no block boundary hides a shift). */
function pattern(length: number, seed: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x = (x * 1_103_515_245 + 12_345) & 0x7fffffff;
    bytes[i] = x >>> 16;
  }
  return bytes;
}

/** Cuts `bytes` into pieces of the given sizes, repeated cyclically. */
function split(bytes: Buffer, sizes: readonly number[]): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] as number;
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/** What the parser does with a piece: grow when needed, then copy in. */
function appendLikeTheParser(body: BodyBuffer, piece: Buffer, cap: number): void {
  const capacity = body.capacityFor(piece.length, cap);
  if (capacity !== body.capacity) body.grow(capacity);
  body.append(piece, 0, piece.length);
}

function chunkedHead(): Buffer {
  return Buffer.from('POST /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', 'latin1');
}

/** The body as chunks of the given sizes, then the last chunk. */
function chunked(body: Buffer, sizes: readonly number[]): Buffer {
  const parts: Buffer[] = [];
  for (const piece of split(body, sizes)) {
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`, 'latin1'), piece, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n', 'latin1'));
  return Buffer.concat(parts);
}

describe('BodyBuffer: a body kept as blocks', () => {
  it('holds exactly the bytes appended, for any split of the input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 * MiB }),
        fc.integer(),
        fc.array(fc.integer({ min: 1, max: 300_000 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (length, seed, sizes, isCapped) => {
          const bytes = pattern(length, seed);
          const cap = isCapped ? length : 16 * MiB;
          const body = new BodyBuffer();
          for (const piece of split(bytes, sizes)) {
            appendLikeTheParser(body, piece, cap);
            // Never more than one unfilled block: at most 1 MiB over the bytes, or 16 KiB for a small body.
            expect(body.capacity - body.length).toBeLessThanOrEqual(
              Math.max(16_384, Math.min(body.length, MiB)),
            );
            expect(body.capacity).toBeLessThanOrEqual(Math.max(cap, body.length));
          }
          expect(body.length).toBe(length);
          const taken = body.take();
          expect(taken.equals(bytes)).toBe(true);
          expect(body.length).toBe(0);
          expect(body.capacity).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('copies one-byte appends in: a 3 MiB body of single bytes is blocks for its first MiB, then one buffer grown in place', () => {
    const bytes = pattern(3 * MiB, 7);
    const body = new BodyBuffer();
    for (let i = 0; i < MiB; i++) appendLikeTheParser(body, bytes.subarray(i, i + 1), 16 * MiB);
    // 16 KiB, 16 KiB, 32 KiB ... 512 KiB: the first MiB.
    expect(body.blockCount).toBe(7);
    expect(body.isInPlace).toBe(false);
    for (let i = MiB; i < bytes.length; i++) appendLikeTheParser(body, bytes.subarray(i, i + 1), 16 * MiB);
    expect(body.isInPlace).toBe(true);
    expect(body.blockCount).toBe(0);
    expect(body.capacity).toBe(3 * MiB);
    const taken = body.take();
    expect(taken.equals(bytes)).toBe(true);
    // Handed over as it is, shrunk to exactly the body's bytes: no unfilled step stays behind it.
    expect(taken.buffer.byteLength).toBe(3 * MiB);
  });

  it('keeps its bytes when asked to grow past the cap its in-place buffer was made for', () => {
    const bytes = pattern(2 * MiB + 5, 11);
    const body = new BodyBuffer();
    for (const piece of split(bytes.subarray(0, 2 * MiB), [65_536]))
      appendLikeTheParser(body, piece, 2 * MiB);
    expect(body.isInPlace).toBe(true);
    expect(body.capacity).toBe(2 * MiB);
    appendLikeTheParser(body, bytes.subarray(2 * MiB), 2 * MiB);
    expect(body.capacity).toBe(2 * MiB + 5);
    expect(body.take().equals(bytes)).toBe(true);
  });

  it('hands a body that fits its first block over without copying', () => {
    const body = new BodyBuffer();
    appendLikeTheParser(body, Buffer.from('hello'), 16 * MiB);
    appendLikeTheParser(body, Buffer.from(' world'), 16 * MiB);
    expect(body.blockCount).toBe(1);
    expect(body.take().toString()).toBe('hello world');
  });

  it('holds four 5 MiB bodies in their bytes: capacity exact, resident memory about the bytes (a doubling buffer had 8 MiB each)', () => {
    const piece = Buffer.alloc(65_536, 0x61);
    const holders: BodyBuffer[] = [];
    gc();
    gc();
    const before = process.memoryUsage().rss;
    for (let n = 0; n < 4; n++) {
      const body = new BodyBuffer();
      for (let i = 0; i < 80; i++) appendLikeTheParser(body, piece, 16 * MiB);
      holders.push(body);
    }
    gc();
    gc();
    const grown = process.memoryUsage().rss - before;
    expect(holders.every((b) => b.length === 5 * MiB && b.capacity === 5 * MiB && b.isInPlace)).toBe(true);
    // Resident: the bytes written (4 x 5 MiB), give or take what the rest of the process did.
    expect(grown).toBeLessThan(4 * 5 * MiB + 6 * MiB);
    expect(grown).toBeGreaterThan(4 * 5 * MiB - 6 * MiB);
    expect(holders.map((b) => b.take().length)).toEqual([5 * MiB, 5 * MiB, 5 * MiB, 5 * MiB]);
  });
});

describe('the budget a body draws from is returned on every path', () => {
  it('complete: a chunked body split anywhere arrives exact, and what it reserved is handed over whole', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 * MiB }),
        fc.integer(),
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 6 }),
        (length, seed, chunkSizes, readSizes) => {
          const budget = new SharedBodyBudget(64 * MiB);
          const parser = new RequestParser(LIMITS, budget);
          const bytes = pattern(length, seed);
          parser.feed(chunkedHead());
          expect(parser.next()).toBe(NEED_MORE);
          const reads = split(chunked(bytes, chunkSizes), readSizes);
          let step = NEED_MORE;
          for (const read of reads) {
            expect(step).toBe(NEED_MORE);
            parser.feed(read);
            step = parser.next();
          }
          expect(step).toBe(REQUEST);
          expect(parser.body?.equals(bytes)).toBe(true);
          const reserved = parser.takeReservation();
          // Reserved before each block was made: the blocks, never more than a block over the bytes.
          expect(reserved).toBe(budget.usedBytes);
          expect(reserved).toBeGreaterThanOrEqual(length);
          expect(reserved - length).toBeLessThanOrEqual(Math.max(16_384, Math.min(length, MiB)));
          budget.release(reserved);
          expect(budget.usedBytes).toBe(0);
          parser.dispose();
          expect(budget.usedBytes).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('too large: a chunked body past max_body_size is refused with 413 and holds nothing', () => {
    const budget = new SharedBodyBudget(64 * MiB);
    const parser = new RequestParser({ ...LIMITS, maxBodyBytes: MiB }, budget);
    parser.feed(chunkedHead());
    expect(parser.next()).toBe(NEED_MORE);
    const piece = `8000\r\n${'a'.repeat(0x8000)}\r\n`;
    let step = NEED_MORE;
    let sent = 0;
    while (step === NEED_MORE && sent < 2 * MiB) {
      parser.feed(Buffer.from(piece, 'latin1'));
      sent += 0x8000;
      step = parser.next();
      if (step === NEED_MORE) expect(budget.usedBytes).toBeGreaterThanOrEqual(sent);
    }
    expect(step).toBe(FAILED);
    expect(parser.errorStatus).toBe(413);
    expect(budget.usedBytes).toBe(0);
    expect(parser.takeReservation()).toBe(0);
  });

  it('over the budget: the block that does not fit is refused with 503 and the rest is returned', () => {
    const budget = new SharedBodyBudget(200_000);
    const parser = new RequestParser(LIMITS, budget);
    parser.feed(chunkedHead());
    expect(parser.next()).toBe(NEED_MORE);
    let step = NEED_MORE;
    for (let i = 0; i < 20 && step === NEED_MORE; i++) {
      parser.feed(Buffer.from(`4000\r\n${'b'.repeat(0x4000)}\r\n`, 'latin1'));
      step = parser.next();
      expect(budget.usedBytes).toBeLessThanOrEqual(200_000);
    }
    expect(step).toBe(FAILED);
    expect(parser.errorStatus).toBe(503);
    expect(budget.usedBytes).toBe(0);
  });

  it('aborted connection: a body in progress, chunked or with a Content-Length, is returned at dispose', () => {
    const budget = new SharedBodyBudget(64 * MiB);
    const chunkedParser = new RequestParser(LIMITS, budget);
    chunkedParser.feed(chunkedHead());
    chunkedParser.feed(Buffer.from(`100000\r\n${'c'.repeat(300_000)}`, 'latin1'));
    expect(chunkedParser.next()).toBe(NEED_MORE);
    const chunkedHeld = budget.usedBytes;
    expect(chunkedHeld).toBeGreaterThanOrEqual(300_000);

    const lengthParser = new RequestParser(LIMITS, budget);
    lengthParser.feed(
      Buffer.from(`POST /u HTTP/1.1\r\nHost: x\r\nContent-Length: ${3 * MiB}\r\n\r\n`, 'latin1'),
    );
    lengthParser.feed(Buffer.alloc(1_500_000, 0x64));
    expect(lengthParser.next()).toBe(NEED_MORE);
    // A declared length is reserved whole at its head.
    expect(budget.usedBytes).toBe(chunkedHeld + 3 * MiB);

    chunkedParser.dispose();
    expect(budget.usedBytes).toBe(3 * MiB);
    lengthParser.dispose();
    expect(budget.usedBytes).toBe(0);
  });

  it('a Content-Length body in pieces arrives exact and its reservation is its declared length', () => {
    const budget = new SharedBodyBudget(64 * MiB);
    const parser = new RequestParser(LIMITS, budget);
    const bytes = pattern(2_500_000, 3);
    parser.feed(
      Buffer.from(`POST /u HTTP/1.1\r\nHost: x\r\nContent-Length: ${bytes.length}\r\n\r\n`, 'latin1'),
    );
    let step = parser.next();
    for (const read of split(bytes, [65_536, 1, 7_000])) {
      expect(step).toBe(NEED_MORE);
      parser.feed(read);
      step = parser.next();
    }
    expect(step).toBe(REQUEST);
    expect(parser.body?.equals(bytes)).toBe(true);
    expect(parser.body?.buffer.byteLength).toBe(bytes.length);
    expect(parser.takeReservation()).toBe(bytes.length);
  });
});
