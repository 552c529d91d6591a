import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParserLimits } from '../src/index.js';
import { type Outcome, parseAll, splitAt } from './support/parse-all.js';
import { pipelinedBytes } from './support/request-arbitraries.js';

const limits: ParserLimits = { maxUrlLength: 64, maxHeaderBytes: 256, maxBodyBytes: 128 };

/** Feeds `pieces` one after another and records every request and the final state. */
function parseInPieces(pieces: readonly Buffer[]): Outcome[] {
  return parseAll(pieces, false, limits);
}

describe('the parser is split-invariant', () => {
  it('reads the same requests and the same verdict wherever the bytes are split', () => {
    fc.assert(
      fc.property(pipelinedBytes, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        const bytes = Buffer.from(text, 'latin1');
        expect(parseInPieces(splitAt(bytes, cuts))).toEqual(parseInPieces([bytes]));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the same when fed one byte at a time', () => {
    fc.assert(
      fc.property(pipelinedBytes, (text) => {
        const bytes = Buffer.from(text, 'latin1');
        const single = Array.from(bytes, (b) => Buffer.from([b]));
        expect(parseInPieces(single)).toEqual(parseInPieces([bytes]));
      }),
      { numRuns: 500 },
    );
  });

  it('accepts a good share of the generated requests (the generator is not all noise)', () => {
    const samples = fc.sample(pipelinedBytes, { numRuns: 400, seed: 42 });
    const accepted = samples.filter(
      (t) => !('failed' in (parseInPieces([Buffer.from(t, 'latin1')])[0] ?? {})),
    );
    expect(accepted.length).toBeGreaterThan(40);
    expect(accepted.length).toBeLessThan(360);
  });
});
