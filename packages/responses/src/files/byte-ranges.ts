/** An inclusive byte range, as in `Content-Range: bytes start-end/size`. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** What a `Range` header asks of a representation of some size. */
export type RangeRequest =
  /** No usable Range (absent, another unit, malformed, too many parts): send the whole file. */
  | { readonly kind: 'whole' }
  /** Every range lies past the end: 416 with `Content-Range: bytes *\/size`. */
  | { readonly kind: 'unsatisfiable' }
  /**
   * The satisfiable ranges, sorted, overlapping and adjacent ones merged, each clamped to the
   * size. `isOpenEnded` is true for a single `bytes=a-` request (for `defaultSize`).
   */
  | { readonly kind: 'ranges'; readonly ranges: readonly ByteRange[]; readonly isOpenEnded: boolean };

const WHOLE: RangeRequest = Object.freeze({ kind: 'whole' });
const UNSATISFIABLE: RangeRequest = Object.freeze({ kind: 'unsatisfiable' });
const SPEC = /^(\d*)-(\d*)$/;
const UNIT = /^bytes=/i;

/**
 * Parses a `Range` header against a size (RFC 9110 §14.1.2): `a-b`, `a-` (to the end) and
 * `-n` (the last n bytes; the whole representation when n is larger than it), several
 * separated by commas. Ranges past the end are dropped; if none remains the answer is
 * unsatisfiable. A header that does not parse is ignored (RFC 9110 §14.2 lets a server do
 * so), as is one with more than `maxRanges` parts after merging, which would only serve to
 * make us seek around the file.
 */
export function parseByteRanges(header: string | undefined, size: number, maxRanges = 16): RangeRequest {
  if (header === undefined || !UNIT.test(header)) return WHOLE;
  const ranges: ByteRange[] = [];
  let specs = 0;
  let isOpenEnded = false;
  for (const raw of header.slice(6).split(',')) {
    const spec = raw.trim();
    if (spec === '') continue;
    specs++;
    const match = SPEC.exec(spec);
    if (match === null) return WHOLE;
    const first = match[1] as string;
    const last = match[2] as string;
    if (first === '') {
      if (last === '') return WHOLE;
      const suffix = Number(last);
      if (suffix > 0 && size > 0) ranges.push({ start: Math.max(0, size - suffix), end: size - 1 });
      continue;
    }
    const start = Number(first);
    isOpenEnded = last === '';
    if (!isOpenEnded && Number(last) < start) return WHOLE;
    if (start < size) ranges.push({ start, end: isOpenEnded ? size - 1 : Math.min(Number(last), size - 1) });
  }
  if (specs === 0) return WHOLE;
  if (ranges.length === 0) return UNSATISFIABLE;
  const merged = mergeRanges(ranges);
  if (merged.length > maxRanges) return WHOLE;
  return { kind: 'ranges', ranges: merged, isOpenEnded: specs === 1 && isOpenEnded };
}

/** Sorts ranges and merges those that overlap or touch. */
export function mergeRanges(ranges: readonly ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: ByteRange[] = [];
  for (const range of sorted) {
    const previous = out[out.length - 1];
    if (previous !== undefined && range.start <= previous.end + 1) {
      if (range.end > previous.end) out[out.length - 1] = { start: previous.start, end: range.end };
    } else {
      out.push(range);
    }
  }
  return out;
}
