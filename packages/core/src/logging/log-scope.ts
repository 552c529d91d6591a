import { isIPv4, isIPv6 } from 'node:net';
import type { Endpoint } from '@bbws/router';

/**
 * A parsed logging scope `ip:port::domain`; an absent part is `null` and matches anything
 * (the selector grammar without the path).
 */
export interface LogScope {
  readonly ip: string | null;
  readonly port: number | null;
  readonly domain: string | null;
}

/** The scope that matches everything. */
export const GLOBAL_SCOPE: LogScope = Object.freeze({ ip: null, port: null, domain: null });

const PORT = /^:(\d{1,5})/;

/**
 * Parses `ip:port::domain` (each part optional, IPv6 in brackets): `127.0.0.1:5000::example.com`,
 * `[::1]::`, `:8443::`, `::example.com`, `:::example.com`, `::` or `''` (global).
 * @returns the scope, or `null` when the text is not a scope
 */
export function parseLogScope(text: string): LogScope | null {
  let rest = text;
  let ip: string | null = null;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) return null;
    ip = rest.slice(1, close);
    if (!isIPv6(ip)) return null;
    rest = rest.slice(close + 1);
  } else {
    const colon = rest.indexOf(':');
    const head = colon === -1 ? rest : rest.slice(0, colon);
    if (head !== '') {
      if (!isIPv4(head)) return null;
      ip = head;
    }
    rest = colon === -1 ? '' : rest.slice(colon);
  }
  let port: number | null = null;
  const portMatch = PORT.exec(rest);
  if (portMatch !== null) {
    port = Number(portMatch[1]);
    if (port > 65_535) return null;
    rest = rest.slice(portMatch[0].length);
  } else if (rest.startsWith(':::')) {
    rest = rest.slice(1); // `:::domain`: an empty port between the ip and "::"
  }
  let domain: string | null = null;
  if (rest !== '') {
    if (!rest.startsWith('::')) return null;
    const name = bracketedIPv6(rest.slice(2));
    if (name === null) return null;
    domain = name === '' ? null : name.toLowerCase();
  }
  return ip === null && port === null && domain === null
    ? GLOBAL_SCOPE
    : { ip: ip?.toLowerCase() ?? null, port, domain };
}

/**
 * The domain part: a name, or an IPv6 literal in brackets (a request to `Host: [::1]` has the
 * domain `::1`); `null` when it is neither.
 */
function bracketedIPv6(name: string): string | null {
  if (name.startsWith('[') && name.endsWith(']')) {
    const inner = name.slice(1, -1);
    return isIPv6(inner) ? inner : null;
  }
  return name.includes(':') || name.includes('/') ? null : name;
}

/** Whether `text` parses as a scope. */
export function isScopePattern(text: string): boolean {
  return parseLogScope(text) !== null;
}

/**
 * The scope key of an endpoint: `ip:port::domain`, IPv6 in brackets (an IPv6 domain too, from
 * `Host: [::1]`), so the key parses back with {@link parseLogScope}.
 */
export function endpointScopeKey(endpoint: Endpoint): string {
  const ip = endpoint.ip.includes(':') ? `[${endpoint.ip}]` : endpoint.ip;
  const domain = endpoint.domain.includes(':') ? `[${endpoint.domain}]` : endpoint.domain;
  return `${ip}:${endpoint.port}::${domain}`;
}

/** Whether `pattern` covers `scope` (every part the pattern names is equal). */
export function scopeMatches(pattern: LogScope, scope: LogScope): boolean {
  return (
    (pattern.ip === null || pattern.ip === scope.ip) &&
    (pattern.port === null || pattern.port === scope.port) &&
    (pattern.domain === null || pattern.domain === scope.domain)
  );
}

/** Specificity as the router ranks selectors: IP > port > domain > global. */
export function scopeSpecificity(scope: LogScope): number {
  return (scope.ip === null ? 0 : 4) + (scope.port === null ? 0 : 2) + (scope.domain === null ? 0 : 1);
}
