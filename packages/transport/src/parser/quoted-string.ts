import { HTAB, QDTEXT } from './char-tables.js';

const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Where the quoted-string that opens at `buf[start]` (a `"`) ends, within `end`: the offset
 * after its closing `"`, or -1 when it is unterminated or holds a byte that is neither qdtext
 * nor a valid quoted-pair (RFC 9110 §5.6.4).
 */
export function quotedStringEnd(buf: Uint8Array, start: number, end: number): number {
  let p = start + 1;
  while (p < end) {
    const c = buf[p] as number;
    if (c === DQUOTE) return p + 1;
    if (c === BACKSLASH) {
      if (p + 1 >= end) return -1;
      const escaped = buf[p + 1] as number;
      // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
      if (escaped !== HTAB && (escaped < 0x20 || escaped === 0x7f)) return -1;
      p += 2;
      continue;
    }
    if (QDTEXT[c] !== 1) return -1;
    p++;
  }
  return -1;
}
