import { FAILED, NEED_MORE, type ParserLimits, RequestParser } from '../../src/index.js';
import { readHeadsByteWise } from '../../src/parser/request-parser.js';

/** What a parser read: a request's fields (headers and body included), a failure, or its final phase. */
export type Outcome = Record<string, unknown>;

/**
 * Every request one parser reads from `reads`, fed one by one (a connection's reads), with
 * its header list and body, then the verdict: the failure, or the phase it ends in. With
 * `byteWise`, every head goes to the byte-wise readers (the fast paths are skipped).
 */
export function parseAll(reads: readonly Buffer[], byteWise: boolean, limits: ParserLimits): Outcome[] {
  readHeadsByteWise(byteWise);
  try {
    const parser = new RequestParser(limits);
    const outcomes: Outcome[] = [];
    for (const read of reads) {
      parser.feed(read);
      for (;;) {
        const step = parser.next();
        if (step === NEED_MORE) break;
        if (step === FAILED) {
          outcomes.push({ failed: parser.errorStatus, reason: parser.errorReason });
          return outcomes;
        }
        // The header list is read through a getter (the head cuts it on first use): named here.
        const head = parser.head;
        outcomes.push({ ...head, headers: head?.headers, body: parser.body?.toString('latin1') ?? null });
      }
    }
    outcomes.push({ end: parser.phase });
    return outcomes;
  } finally {
    readHeadsByteWise(false);
  }
}

/** `bytes` cut at `cuts` (each taken modulo its length plus one), as reads of their own. */
export function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(Buffer.from(bytes.subarray(from, point)));
    from = point;
  }
  pieces.push(Buffer.from(bytes.subarray(from)));
  return pieces.filter((p) => p.length > 0);
}
