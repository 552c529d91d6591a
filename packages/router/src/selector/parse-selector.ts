import { parseError } from '../errors.js';
import { type ParsedTemplate, type Placeholder, parseTemplate } from '../template/parse-template.js';
import { parseIpv4, parseIpv6 } from './ip-address.js';

/**
 * A parsed `ip:port::domain:/path` selector. A part that is absent is `null` and matches any
 * endpoint.
 * @see docs/routing.md#selector-grammar
 */
export interface Selector {
  /** The local IP, canonical (IPv6 without brackets, RFC 5952 form), or `null` for any. */
  readonly ip: string | null;
  /** The local port, or `null` for any. */
  readonly port: number | null;
  /** The lower-case domain (TLS SNI or Host), or `null` for any. */
  readonly domain: string | null;
  /**
   * The path template in canonical form (`/v1/{slug:str}`); `''` when the selector has no path
   * (a prefix such as `127.0.0.1::`).
   */
  readonly path: string;
}

/** A {@link Selector} with the placeholders of its path template. */
export interface ParsedSelector extends Selector {
  /** The placeholders of `path`, in order (`*` for a trailing wildcard). */
  readonly placeholders: readonly Placeholder[];
}

/** The selector and its parsed template, for the router. @internal */
export interface CompiledSelector extends ParsedSelector {
  readonly template: ParsedTemplate | null;
}

const SLASH = 47;
const COLON = 58;
const OPEN_BRACKET = 91;
const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

/**
 * Parses a selector: `ip:port::domain:/path` with every part optional, or a plain `/path`.
 * Examples: `/status`, `::/status`, `127.0.0.1::/debug`, `:8000::/x`,
 * `:::example.com:/info`, `[::1]:8000::/v1/{slug:str}`. A selector without a path
 * (`127.0.0.1::`, `:::example.com`) parses with `path: ''`; {@link Router.add} refuses it.
 * @param selector the selector text.
 * @returns the parts, `null` where any endpoint matches, the path template in canonical form.
 * @throws RouterError `BBWS_ERR_ROUTE_SELECTOR` (ip, port, domain, separators) or
 *   `BBWS_ERR_ROUTE_TEMPLATE` (path), naming the selector, the position and what was expected.
 * @see docs/routing.md#selector-grammar
 */
export function parseSelector(selector: string): ParsedSelector {
  const { ip, port, domain, path, placeholders } = compileSelector(selector);
  return { ip, port, domain, path, placeholders };
}

/** {@link parseSelector}, keeping the parsed template. @internal */
export function compileSelector(selector: string): CompiledSelector {
  const length = selector.length;
  let ip: string | null = null;
  let port: number | null = null;
  let domain: string | null = null;
  let i = 0;
  if (length > 0 && selector.charCodeAt(0) !== SLASH) {
    const first = selector.charCodeAt(0);
    if (first === OPEN_BRACKET) {
      const close = selector.indexOf(']');
      if (close === -1) throw selectorError(selector, length, '"]" to close the IPv6 address');
      ip = parseIpv6(selector, 1, close);
      i = close + 1;
    } else if (first >= 48 && first <= 57) {
      while (i < length && isIpv4Char(selector.charCodeAt(i))) i++;
      ip = parseIpv4(selector, 0, i);
    } else if (first !== COLON) {
      throw selectorError(
        selector,
        0,
        '"/", ":" or an IP address (selector form ip:port::domain:/path; IPv6 goes in brackets)',
      );
    }
    let colons = 0;
    while (selector.charCodeAt(i + colons) === COLON) colons++;
    if (colons === 0) {
      throw selectorError(selector, i, '":" after the IP address (selector form ip:port::domain:/path)');
    }
    if (colons === 1) {
      const portStart = i + 1;
      i = portStart;
      while (i < length && isDigit(selector.charCodeAt(i))) i++;
      if (i === portStart) throw selectorError(selector, i, 'a port number or "::"');
      const digits = selector.slice(portStart, i);
      const value = Number(digits);
      if ((digits.length > 1 && digits.charCodeAt(0) === 48) || value < 1 || value > 65535) {
        throw selectorError(selector, portStart, 'a port from 1 to 65535', JSON.stringify(digits));
      }
      port = value;
      if (selector.charCodeAt(i) !== COLON || selector.charCodeAt(i + 1) !== COLON) {
        throw selectorError(selector, i, '"::" after the port');
      }
      if (selector.charCodeAt(i + 2) === COLON) {
        throw selectorError(selector, i + 2, 'a domain or "/" after "::"');
      }
      i += 2;
    } else if (colons <= 3) {
      i += colons;
    } else {
      throw selectorError(selector, i + 3, 'a domain or "/" after ":::"');
    }
    if (i < length && selector.charCodeAt(i) !== SLASH) {
      const domainStart = i;
      while (i < length && selector.charCodeAt(i) !== COLON && selector.charCodeAt(i) !== SLASH) i++;
      domain = parseDomain(selector, domainStart, i);
      if (i < length) {
        if (selector.charCodeAt(i) !== COLON) {
          throw selectorError(selector, i, '":" between the domain and the path (form ::domain:/path)');
        }
        i++;
        if (i < length && selector.charCodeAt(i) !== SLASH) {
          throw selectorError(
            selector,
            i,
            selector.charCodeAt(i) === COLON
              ? '"/" after "domain:" (IPv6 addresses go in brackets: [::1]::/path)'
              : '"/" after "domain:"',
          );
        }
      }
    }
  }
  if (i >= length) return { ip, port, domain, path: '', placeholders: [], template: null };
  const template = parseTemplate(selector, i);
  return { ip, port, domain, path: template.path, placeholders: template.placeholders, template };
}

/**
 * Domain names: dot-separated labels of letters, digits, `-` and `_` (1-63 characters, not
 * starting or ending with `-`), at most 253 characters; returned in lower case.
 */
function parseDomain(selector: string, start: number, end: number): string {
  if (end - start > MAX_DOMAIN_LENGTH) {
    throw selectorError(selector, start + MAX_DOMAIN_LENGTH, 'a domain of at most 253 characters');
  }
  let labelStart = start;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 46 : selector.charCodeAt(i);
    if (c === 46 /* . */) {
      const labelLength = i - labelStart;
      if (labelLength === 0) throw selectorError(selector, i, 'a domain label (letters, digits, "-")');
      if (labelLength > MAX_LABEL_LENGTH) {
        throw selectorError(
          selector,
          labelStart + MAX_LABEL_LENGTH,
          'a domain label of at most 63 characters',
        );
      }
      if (selector.charCodeAt(labelStart) === 45) {
        throw selectorError(selector, labelStart, 'a domain label that does not start with "-"');
      }
      if (selector.charCodeAt(i - 1) === 45) {
        throw selectorError(selector, i - 1, 'a domain label that does not end with "-"');
      }
      labelStart = i + 1;
    } else if (!isDomainChar(c)) {
      throw selectorError(selector, i, 'a domain character (letters, digits, "-", "_", ".")');
    }
  }
  return selector.slice(start, end).toLowerCase();
}

function isIpv4Char(c: number): boolean {
  return isDigit(c) || c === 46;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isDomainChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
}

function selectorError(selector: string, position: number, expected: string, found?: string) {
  return parseError('BBWS_ERR_ROUTE_SELECTOR', selector, position, expected, found);
}
