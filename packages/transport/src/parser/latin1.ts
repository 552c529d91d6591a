/**
 * `buf.toString('latin1', start, end)` without the encoding dispatch of `toString`: Node's
 * Buffer has had `latin1Slice` since its first versions (it is what `toString` calls), and
 * the wrapper was a measurable part of parsing a head. Falls back to `toString` elsewhere.
 */
type Latin1Slicer = (this: Buffer, start: number, end: number) => string;

const native = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slicer }).latin1Slice;

/** The bytes `buf[start, end)` as a latin1 string. Hot. */
export const latin1: (buf: Buffer, start: number, end: number) => string =
  typeof native === 'function'
    ? (buf, start, end) => native.call(buf, start, end)
    : (buf, start, end) => buf.toString('latin1', start, end);
