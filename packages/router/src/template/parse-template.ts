import { parseError } from '../errors.js';
import { canonicalEscape, encodeCodePoint, hexValue, isPathChar } from './percent-encoding.js';
import { type PlaceholderType, TYPE_CODE, type TypeCode } from './placeholder-types.js';

/** A placeholder of a template, in order of appearance. */
export interface Placeholder {
  /** The key of its value in `params` (`*` for a trailing wildcard). */
  readonly name: string;
  /** Its type; a trailing `*` is a `path`. */
  readonly type: PlaceholderType;
}

/** A literal or a placeholder inside a segment. @internal */
export type SegmentPart =
  | { readonly kind: 'literal'; readonly text: string }
  | {
      readonly kind: 'placeholder';
      readonly name: string;
      readonly type: PlaceholderType;
      readonly code: TypeCode;
    };

/**
 * One segment of a template. `static`: literal text only (canonical). `dynamic`: literals and
 * placeholders (`{id:int}`, `file-{id:int}.json`). `rest`: `{p:path}` or `*`, the whole rest.
 * @internal
 */
export type SegmentPattern =
  | { readonly kind: 'static'; readonly text: string }
  | {
      readonly kind: 'dynamic';
      readonly parts: readonly SegmentPart[];
      /** The segment with placeholder names erased (`file-{int}.json`): equal means same requests. */
      readonly signature: string;
      /** Characters of literal text in the segment; more is more specific. */
      readonly literalLength: number;
    }
  | { readonly kind: 'rest'; readonly name: string };

/** A parsed path template. @internal */
export interface ParsedTemplate {
  /** Canonical text: literals percent-encoded canonically, placeholders as `{name:type}`. */
  readonly path: string;
  readonly segments: readonly SegmentPattern[];
  readonly placeholders: readonly Placeholder[];
}

const SLASH = 47;
const OPEN = 123;
const CLOSE = 125;
const COLON = 58;
const STAR = 42;
const PERCENT = 37;

const TYPES = Object.keys(TYPE_CODE) as PlaceholderType[];

/**
 * Parses the path template that starts at `selector[start]` and runs to the end. Positions in
 * errors are positions in `selector`.
 * @throws RouterError `BBWS_ERR_ROUTE_TEMPLATE` pointing at the offending character.
 * @internal
 */
export function parseTemplate(selector: string, start: number): ParsedTemplate {
  const end = selector.length;
  if (selector.charCodeAt(start) !== SLASH) {
    throw templateError(selector, start, '"/" (a path starts with a slash)');
  }
  const segments: SegmentPattern[] = [];
  const placeholders: Placeholder[] = [];
  const names = new Set<string>();
  let i = start;
  while (i < end) {
    // selector[i] is the "/" that opens a segment.
    const segmentStart = i + 1;
    const parts: SegmentPart[] = [];
    let literal = '';
    let literalLength = 0;
    let restName: string | null = null;
    i = segmentStart;
    while (i < end && selector.charCodeAt(i) !== SLASH) {
      const c = selector.charCodeAt(i);
      if (c === OPEN) {
        if (literal === '' && parts.length > 0) {
          throw templateError(
            selector,
            i,
            'a literal separator between two placeholders ({a:int}{b:int} is ambiguous)',
          );
        }
        if (literal !== '') parts.push({ kind: 'literal', text: literal });
        literal = '';
        const placeholder = scanPlaceholder(selector, i);
        if (names.has(placeholder.name)) {
          throw templateError(
            selector,
            i + 1,
            'a placeholder name not used before in this template',
            JSON.stringify(placeholder.name),
          );
        }
        names.add(placeholder.name);
        if (placeholder.type === 'path') {
          if (
            i !== segmentStart ||
            (placeholder.end < end && selector.charCodeAt(placeholder.end) !== SLASH)
          ) {
            throw templateError(selector, i, '{name:path} to be a whole segment');
          }
          restName = placeholder.name;
        } else {
          parts.push({
            kind: 'placeholder',
            name: placeholder.name,
            type: placeholder.type,
            code: TYPE_CODE[placeholder.type],
          });
        }
        placeholders.push({ name: placeholder.name, type: placeholder.type });
        i = placeholder.end;
      } else if (c === STAR) {
        if (i !== segmentStart || i + 1 !== end) {
          throw templateError(
            selector,
            i,
            'a path character ("*" is a wildcard only as the whole last segment; write %2A for a literal asterisk)',
          );
        }
        if (names.has('*')) throw templateError(selector, i, 'one wildcard');
        names.add('*');
        restName = '*';
        placeholders.push({ name: '*', type: 'path' });
        i++;
      } else if (c === CLOSE) {
        throw templateError(
          selector,
          i,
          'a path character ("}" closes no placeholder; write %7D for a literal brace)',
        );
      } else if (c === PERCENT) {
        const high = hexValue(selector.charCodeAt(i + 1));
        const low = hexValue(selector.charCodeAt(i + 2));
        if (high === -1 || low === -1) {
          throw templateError(selector, high === -1 ? i + 1 : i + 2, 'two hexadecimal digits after "%"');
        }
        literal += canonicalEscape(high, low);
        literalLength++;
        i += 3;
      } else if (c < 128) {
        if (!isPathChar(c)) {
          const hint =
            c === 63 || c === 35
              ? 'a path character (the query and fragment are not part of a route)'
              : `a path character (write it percent-encoded: %${c.toString(16).toUpperCase().padStart(2, '0')})`;
          throw templateError(selector, i, hint);
        }
        literal += selector[i];
        literalLength++;
        i++;
      } else {
        const codePoint = selector.codePointAt(i) as number;
        if (codePoint >= 0xd800 && codePoint <= 0xdfff)
          throw templateError(selector, i, 'a whole Unicode character');
        literal += encodeCodePoint(codePoint);
        literalLength++;
        i += codePoint > 0xffff ? 2 : 1;
      }
    }
    if (restName !== null) {
      if (i < end) {
        throw templateError(
          selector,
          i,
          'the end of the template (a path placeholder or "*" must be the last segment)',
        );
      }
      segments.push({ kind: 'rest', name: restName });
      break;
    }
    if (parts.length === 0) {
      if (literal === '' && i < end)
        throw templateError(selector, i, 'a path segment ("//" makes an empty segment)');
      if (literal === '.' || literal === '..') {
        throw templateError(
          selector,
          segmentStart,
          'a segment other than "." or ".."',
          JSON.stringify(literal),
        );
      }
      segments.push({ kind: 'static', text: literal });
    } else {
      if (literal !== '') parts.push({ kind: 'literal', text: literal });
      segments.push({ kind: 'dynamic', parts, signature: signatureOf(parts), literalLength });
    }
  }
  return { path: formatTemplate(segments), segments, placeholders };
}

interface ScannedPlaceholder {
  readonly name: string;
  readonly type: PlaceholderType;
  /** Index just after the closing brace. */
  readonly end: number;
}

/** Scans `{name}` or `{name:type}` whose `{` is at `open`. */
function scanPlaceholder(selector: string, open: number): ScannedPlaceholder {
  let i = open + 1;
  if (!isNameStart(selector.charCodeAt(i))) {
    throw templateError(selector, i, 'a placeholder name (a letter or "_")');
  }
  while (isNameChar(selector.charCodeAt(i))) i++;
  const name = selector.slice(open + 1, i);
  let type: PlaceholderType = 'str';
  if (selector.charCodeAt(i) === COLON) {
    const typeStart = i + 1;
    i = typeStart;
    while (isNameChar(selector.charCodeAt(i))) i++;
    const typeName = selector.slice(typeStart, i);
    if (!(TYPES as string[]).includes(typeName)) {
      throw templateError(
        selector,
        typeStart,
        'a placeholder type: str, int, float, bool or path',
        typeName === '' ? undefined : JSON.stringify(typeName),
      );
    }
    type = typeName as PlaceholderType;
  } else if (selector.charCodeAt(i) !== CLOSE) {
    throw templateError(selector, i, '":" or "}" after the placeholder name');
  }
  if (selector.charCodeAt(i) !== CLOSE) throw templateError(selector, i, '"}" to close the placeholder');
  return { name, type, end: i + 1 };
}

function signatureOf(parts: readonly SegmentPart[]): string {
  let signature = '';
  for (const part of parts) signature += part.kind === 'literal' ? part.text : `{${part.type}}`;
  return signature;
}

function formatTemplate(segments: readonly SegmentPattern[]): string {
  let path = '';
  for (const segment of segments) {
    if (segment.kind === 'static') path += `/${segment.text}`;
    else if (segment.kind === 'rest') path += segment.name === '*' ? '/*' : `/{${segment.name}:path}`;
    else {
      path += '/';
      for (const part of segment.parts)
        path += part.kind === 'literal' ? part.text : `{${part.name}:${part.type}}`;
    }
  }
  return path;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

function templateError(selector: string, position: number, expected: string, found?: string) {
  return parseError('BBWS_ERR_ROUTE_TEMPLATE', selector, position, expected, found);
}
