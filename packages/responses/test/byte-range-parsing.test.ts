import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseByteRanges } from '../src/index.js';

describe('parseByteRanges (size 100)', () => {
  it.each([
    ['bytes=0-9', [[0, 9]]],
    ['bytes=90-', [[90, 99]]],
    ['bytes=-10', [[90, 99]]],
    ['bytes=-200', [[0, 99]]],
    ['bytes=90-500', [[90, 99]]],
    ['bytes=0-0', [[0, 0]]],
    ['bytes=99-99', [[99, 99]]],
    ['BYTES=1-2', [[1, 2]]],
    [
      'bytes= 0-4 , 10-14',
      [
        [0, 4],
        [10, 14],
      ],
    ],
    [
      'bytes=10-14,0-4',
      [
        [0, 4],
        [10, 14],
      ],
    ],
    ['bytes=0-4,5-9', [[0, 9]]],
    ['bytes=0-10,5-20', [[0, 20]]],
    ['bytes=0-9,200-300', [[0, 9]]],
    [
      'bytes=0-9,,20-29',
      [
        [0, 9],
        [20, 29],
      ],
    ],
  ])('%s → ranges %j', (header, expected) => {
    const result = parseByteRanges(header, 100);
    expect(result.kind).toBe('ranges');
    if (result.kind === 'ranges') expect(result.ranges.map((r) => [r.start, r.end])).toEqual(expected);
  });

  it.each(['bytes=100-', 'bytes=100-200', 'bytes=-0', 'bytes=500-600,300-'])(
    '%s → unsatisfiable',
    (header) => {
      expect(parseByteRanges(header, 100).kind).toBe('unsatisfiable');
    },
  );

  it.each([
    undefined,
    'items=0-5',
    'bytes=abc',
    'bytes=',
    'bytes=5-2',
    'bytes=1-2-3',
    'bytes=-',
    'bytes=0x1-2',
    'bytes=1 -2',
  ])('%j → whole (ignored)', (header) => {
    expect(parseByteRanges(header, 100).kind).toBe('whole');
  });

  it('ignores more parts than maxRanges after merging', () => {
    const many = `bytes=${Array.from({ length: 20 }, (_, i) => `${i * 3}-${i * 3}`).join(',')}`;
    expect(parseByteRanges(many, 100).kind).toBe('whole');
    expect(parseByteRanges(many, 100, 32).kind).toBe('ranges');
  });

  it('flags a single open-ended range', () => {
    expect(parseByteRanges('bytes=10-', 100)).toMatchObject({ isOpenEnded: true });
    expect(parseByteRanges('bytes=10-20', 100)).toMatchObject({ isOpenEnded: false });
    expect(parseByteRanges('bytes=-20', 100)).toMatchObject({ isOpenEnded: false });
  });

  it('an empty representation satisfies no range', () => {
    expect(parseByteRanges('bytes=0-', 0).kind).toBe('unsatisfiable');
    expect(parseByteRanges('bytes=-5', 0).kind).toBe('unsatisfiable');
  });

  it('property: ranges are within the size, sorted, disjoint and non-adjacent', () => {
    const spec = fc.oneof(
      fc.tuple(fc.nat(300), fc.option(fc.nat(300), { nil: undefined })).map(([a, b]) => `${a}-${b ?? ''}`),
      fc.nat(300).map((n) => `-${n}`),
    );
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 8 }), fc.nat(250), (specs, size) => {
        const result = parseByteRanges(`bytes=${specs.join(',')}`, size, 100);
        if (result.kind !== 'ranges') return;
        let previousEnd = -2;
        for (const r of result.ranges) {
          expect(r.start).toBeGreaterThanOrEqual(0);
          expect(r.end).toBeLessThan(size);
          expect(r.start).toBeLessThanOrEqual(r.end);
          expect(r.start).toBeGreaterThan(previousEnd + 1);
          previousEnd = r.end;
        }
      }),
    );
  });
});
