import { describe, expect, it } from 'vitest';
import { dateLine, imfFixdate } from '../src/response/date-header.js';

// The Date line is formatted by our own code (its first answer skips V8's date-cache setup);
// Date#toUTCString, which writes RFC 9110's IMF-fixdate for four-digit years, is the second
// source it must agree with.

/** A small deterministic generator, so a failure names a reproducible time. */
function* times(count: number): Generator<number> {
  let state = 0x2545f491;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const high = (Math.imul(state, 2_654_435_761) >>> 0) / 2 ** 32;
    // Years 1000 to 9999: -30,610,224,000,000 ms to 253,402,300,799,999 ms.
    yield Math.floor(-30_610_224_000_000 + high * (253_402_300_799_999 + 30_610_224_000_000));
  }
}

describe('the Date line', () => {
  it('is toUTCString at every boundary: days, months, leap days, single-digit fields, years', () => {
    const cases = [
      0,
      Date.UTC(1994, 10, 6, 8, 49, 37),
      Date.UTC(2000, 1, 29, 23, 59, 59),
      Date.UTC(2024, 1, 29, 0, 0, 0),
      Date.UTC(2100, 2, 1, 0, 0, 0),
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2026, 0, 1, 9, 5, 3),
      Date.UTC(1000, 0, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59),
    ];
    for (const ms of cases) expect(imfFixdate(new Date(ms)), String(ms)).toBe(new Date(ms).toUTCString());
  });

  it('is toUTCString for 20,000 generated times', () => {
    for (const ms of times(20_000))
      expect(imfFixdate(new Date(ms)), String(ms)).toBe(new Date(ms).toUTCString());
  });

  it('changes with the second, not within it, and keeps the header form', () => {
    const at = Date.UTC(2026, 11, 2, 1, 2, 3);
    expect(dateLine(at)).toBe('Date: Wed, 02 Dec 2026 01:02:03 GMT\r\n');
    expect(dateLine(at + 999)).toBe('Date: Wed, 02 Dec 2026 01:02:03 GMT\r\n');
    expect(dateLine(at + 1000)).toBe('Date: Wed, 02 Dec 2026 01:02:04 GMT\r\n');
    expect(dateLine(at - 1)).toBe('Date: Wed, 02 Dec 2026 01:02:02 GMT\r\n');
  });
});
