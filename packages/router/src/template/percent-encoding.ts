/**
 * Percent-encoding rules shared by the template parser (at registration) and the matcher (per
 * request). Both bring paths to one canonical form (RFC 3986 §6.2.2.1-2): percent-encoded
 * unreserved characters decoded, every other `%XX` with upper-case hex digits. A canonical
 * template literal and a canonical request path then compare as plain strings.
 */

/** Character classes of ASCII codes: 0 not allowed in a path, 1 unreserved, 2 other pchar. */
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9\-._~]/.test(ch)) CHAR_CLASS[c] = 1;
  else if (/[!$&'()*+,;=:@]/.test(ch)) CHAR_CLASS[c] = 2;
}

const HEX_UPPER = '0123456789ABCDEF';

/** Value of the hex digit `c`, or -1. */
export function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/** `true` when the ASCII code `c` is an RFC 3986 unreserved character. */
export function isUnreserved(c: number): boolean {
  return c < 128 && CHAR_CLASS[c] === 1;
}

/** `true` when the ASCII code `c` may appear unencoded in a path segment (pchar, not `%`). */
export function isPathChar(c: number): boolean {
  return c < 128 && CHAR_CLASS[c] !== 0;
}

/**
 * The canonical text of the escape `%XY` whose digits are valid: the character itself when it
 * is unreserved, otherwise `%` and the upper-case digits.
 */
export function canonicalEscape(high: number, low: number): string {
  const byte = high * 16 + low;
  if (isUnreserved(byte)) return String.fromCharCode(byte);
  return `%${HEX_UPPER[high]}${HEX_UPPER[low]}`;
}

/**
 * Canonical form of a request path that contains `%`; `null` when an escape is malformed
 * (`%` not followed by two hex digits), which no route matches.
 * @internal
 */
export function normalizeRequestPath(path: string): string | null {
  let out = '';
  let copiedTo = 0;
  let i = path.indexOf('%');
  while (i !== -1) {
    const high = hexValue(path.charCodeAt(i + 1));
    const low = hexValue(path.charCodeAt(i + 2));
    if (high === -1 || low === -1) return null;
    out += path.slice(copiedTo, i) + canonicalEscape(high, low);
    copiedTo = i + 3;
    i = path.indexOf('%', copiedTo);
  }
  return out + path.slice(copiedTo);
}

/**
 * Percent-decodes a captured value (UTF-8); `undefined` when the bytes are not valid UTF-8.
 * Called only for values that contain `%`.
 * @internal
 */
export function decodeValue(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    // URIError: the escapes are not valid UTF-8. Such a value matches no placeholder.
    return undefined;
  }
}

/** UTF-8 percent-encoding of one non-ASCII code point, upper-case hex. */
export function encodeCodePoint(codePoint: number): string {
  return encodeURIComponent(String.fromCodePoint(codePoint));
}
