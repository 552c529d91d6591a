import { decodeValue } from './percent-encoding.js';

/**
 * The placeholder types of a URL template, `{name:type}`.
 * - `str`: any non-empty text of one segment, percent-decoded.
 * - `int`: an optional `-` and decimal digits, a safe integer; converted to `number`.
 * - `float`: a decimal number with optional fraction and exponent; converted to `number`.
 * - `bool`: `true` or `false` in any letter case; converted to `boolean`.
 * - `path`: the rest of the path, one or more whole segments; a `string`.
 * @see docs/routing.md#placeholder-types
 */
export type PlaceholderType = 'str' | 'int' | 'float' | 'bool' | 'path';

/** A converted placeholder value, as it arrives in `params`. */
export type ParamValue = string | number | boolean;

/** Type codes used by the matcher (a small integer switches faster than a string). @internal */
export const TYPE_CODE = { int: 0, bool: 1, float: 2, str: 3, path: 4 } as const satisfies Record<
  PlaceholderType,
  number
>;

/** A type code, also the type's rank: a lower code is more specific. @internal */
export type TypeCode = (typeof TYPE_CODE)[PlaceholderType];

const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const PERCENT = 37;
/** 16 digits can exceed 2^53 - 1 (9007199254740991); more can never be a safe integer. */
const MAX_INT_DIGITS = 16;

/**
 * Converts `path[start, end)` (a canonical, still percent-encoded piece of one segment) to a
 * value of type `code`; `undefined` when it is not one. Hot: runs per candidate placeholder.
 * @internal
 */
export function convertValue(
  code: TypeCode,
  path: string,
  start: number,
  end: number,
): ParamValue | undefined {
  if (start >= end) return undefined;
  switch (code) {
    case 0:
      return toInt(path, start, end);
    case 1:
      return toBool(path, start, end);
    case 2:
      return toFloat(path, start, end);
    default: {
      const raw = path.slice(start, end);
      return raw.indexOf('%') === -1 ? raw : decodeValue(raw);
    }
  }
}

/**
 * `-?[0-9]+` within the safe integer range; `-0` gives `0`. Computed from the char codes: every
 * step is exact below 2^53, and a value beyond it rounds to at least 2^53, which the range
 * check refuses.
 */
function toInt(path: string, start: number, end: number): number | undefined {
  let i = start;
  const isNegative = path.charCodeAt(i) === MINUS;
  if (isNegative) i++;
  if (i === end || end - i > MAX_INT_DIGITS) return undefined;
  let value = 0;
  for (; i < end; i++) {
    const digit = path.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  if (value > Number.MAX_SAFE_INTEGER) return undefined;
  // `-0` as an id or a count is almost surely 0, so a negative zero is returned as +0.
  return isNegative && value !== 0 ? -value : value;
}

/** `true`/`false`, compared case-insensitively without allocating a lower-case copy. */
function toBool(path: string, start: number, end: number): boolean | undefined {
  const length = end - start;
  if (length === 4) {
    if (
      (path.charCodeAt(start) | 0x20) === 116 && // t
      (path.charCodeAt(start + 1) | 0x20) === 114 && // r
      (path.charCodeAt(start + 2) | 0x20) === 117 && // u
      (path.charCodeAt(start + 3) | 0x20) === 101 // e
    ) {
      return true;
    }
  } else if (length === 5) {
    if (
      (path.charCodeAt(start) | 0x20) === 102 && // f
      (path.charCodeAt(start + 1) | 0x20) === 97 && // a
      (path.charCodeAt(start + 2) | 0x20) === 108 && // l
      (path.charCodeAt(start + 3) | 0x20) === 115 && // s
      (path.charCodeAt(start + 4) | 0x20) === 101 // e
    ) {
      return false;
    }
  }
  return undefined;
}

/**
 * `-?(digits[.digits*] | .digits)([eE][+-]?digits)?`, finite. `Infinity`, `NaN`, hex and a
 * leading `+` are refused; `-0` stays `-0` (a float keeps its sign).
 */
function toFloat(path: string, start: number, end: number): number | undefined {
  let i = start;
  if (path.charCodeAt(i) === MINUS) i++;
  let digits = 0;
  while (i < end && isDigit(path.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < end && path.charCodeAt(i) === DOT) {
    i++;
    while (i < end && isDigit(path.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return undefined;
  if (i < end && (path.charCodeAt(i) | 0x20) === 101 /* e */) {
    i++;
    const sign = path.charCodeAt(i);
    if (sign === PLUS || sign === MINUS) i++;
    const exponentStart = i;
    while (i < end && isDigit(path.charCodeAt(i))) i++;
    if (i === exponentStart) return undefined;
  }
  if (i !== end) return undefined;
  const value = Number(path.slice(start, end));
  return Number.isFinite(value) ? value : undefined;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Segment texts that never match a placeholder: `.` and `..` (after canonicalization). @internal */
export function isDotSegment(path: string, start: number, end: number): boolean {
  const length = end - start;
  if (length === 1) return path.charCodeAt(start) === DOT;
  if (length === 2) return path.charCodeAt(start) === DOT && path.charCodeAt(start + 1) === DOT;
  return false;
}

/**
 * The value of a `{p:path}` or `*` capture: `path[start..]`, decoded; `undefined` when it could
 * escape the capture. Refused: a `.` or `..` segment, an empty segment other than a trailing one
 * (so the value never starts with `/`), and an encoded `/`, `\` or NUL (`%2F`, `%5C`, `%00`),
 * which would turn into separators once decoded. Checked on the canonical path, where `%2E` is
 * already `.` and hex digits are upper-case.
 * @internal
 */
export function restValue(path: string, start: number): string | undefined {
  const end = path.length;
  let segmentStart = start;
  let hasPercent = false;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 47 : path.charCodeAt(i);
    if (c === 47 /* / */) {
      if (i === segmentStart) {
        if (i !== end) return undefined;
      } else if (isDotSegment(path, segmentStart, i)) {
        return undefined;
      }
      segmentStart = i + 1;
    } else if (c === PERCENT) {
      hasPercent = true;
      const high = path.charCodeAt(i + 1);
      const low = path.charCodeAt(i + 2);
      if ((high === 50 /* 2 */ && low === 70) /* F */ || (high === 53 /* 5 */ && low === 67) /* C */) {
        return undefined;
      }
      if (high === 48 && low === 48 /* 00 */) return undefined;
    } else if (c === 92 /* \ */ || c === 0) {
      return undefined;
    }
  }
  const raw = path.slice(start);
  return hasPercent ? decodeValue(raw) : raw;
}
