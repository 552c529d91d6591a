/**
 * Byte classification tables for the request parser, built once at load. Indexed by byte
 * value; a lookup replaces regular expressions and string comparisons on the hot path.
 */

function table(predicate: (byte: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = predicate(b) ? 1 : 0;
  return t;
}

const isAlpha = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
const codes = (s: string) => new Set(Array.from(s, (c) => c.charCodeAt(0)));

const TCHAR_EXTRA = codes("!#$%&'*+-.^_`|~");
/** RFC 9110 §5.6.2 tchar: what a method, a field name or a chunk-extension name is made of. */
export const TOKEN = table((b) => isAlpha(b) || isDigit(b) || TCHAR_EXTRA.has(b));

/**
 * RFC 9110 §5.5 field-value bytes: HTAB, SP, VCHAR and obs-text. Everything else (NUL, CR,
 * LF, other controls, DEL) is rejected: a bare CR or LF inside a value is a smuggling vector.
 */
export const FIELD_VALUE = table((b) => b === 0x09 || (b >= 0x20 && b !== 0x7f));

/** {@link TARGET}: a byte that splits the target: `?` (the query) or `#` (the fragment). */
export const TARGET_DELIMITER = 2;

/**
 * Request-target bytes: visible ASCII, 0 for every other byte. Controls, space, DEL and
 * non-ASCII bytes end or break the target (RFC 9112 §3.2; clients percent-encode them).
 * Visible bytes RFC 3986 leaves out (braces, `|`, backslash, `^`, backtick, `"`, `<`, `>`)
 * are kept: no parser reads them two ways. `?` and `#` are {@link TARGET_DELIMITER}, so the
 * scan notices them with the lookup it already does.
 */
export const TARGET = new Uint8Array(256);
for (let b = 0x21; b < 0x7f; b++) TARGET[b] = b === 0x3f || b === 0x23 ? TARGET_DELIMITER : 1;

const HOST_EXTRA = codes("-._~!$&'()*+,;=%:[]");
/** Host field bytes: reg-name, IP-literal and port characters (RFC 3986 §3.2.2). */
export const HOST = table((b) => isAlpha(b) || isDigit(b) || HOST_EXTRA.has(b));

/** qdtext and quoted-pair payload of a quoted-string (RFC 9110 §5.6.4). */
export const QDTEXT = table(
  (b) =>
    b === 0x09 ||
    b === 0x20 ||
    b === 0x21 ||
    (b >= 0x23 && b <= 0x5b) ||
    (b >= 0x5d && b <= 0x7e) ||
    b >= 0x80,
);

/** Byte → lower-case byte (ASCII letters only). */
export const LOWER = new Uint8Array(256);
for (let b = 0; b < 256; b++) LOWER[b] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;

/** Byte → hex digit value, or 255 when not a hex digit. */
export const HEX = new Uint8Array(256).fill(255);
for (let d = 0; d < 10; d++) HEX[0x30 + d] = d;
for (let d = 0; d < 6; d++) {
  HEX[0x41 + d] = 10 + d;
  HEX[0x61 + d] = 10 + d;
}

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
export const COLON = 0x3a;
