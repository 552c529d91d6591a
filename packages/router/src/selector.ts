import { RouterError } from './errors.js';

/** A parsed `ip:port::domain:/path` selector; absent parts are `null` (any). */
export interface Selector {
  readonly ip: string | null;
  readonly port: number | null;
  readonly domain: string | null;
  readonly path: string;
}

/**
 * Parses a selector. Skeleton grammar: `/path`, `::/path`, `ip::/path`, `ip:port::/path`,
 * `:::domain:/path`.
 * @throws RouterError `BBWS_ERR_ROUTE_SELECTOR` naming the selector and position.
 */
export function parseSelector(selector: string): Selector {
  if (selector.startsWith('/')) return { ip: null, port: null, domain: null, path: selector };
  // The ip:port part ends at the last "::" before the path; a bracketed IPv6 address is skipped.
  const pathAt = selector.indexOf('/');
  const searchFrom = selector.startsWith('[') ? selector.indexOf(']') + 1 : 0;
  const split = selector.lastIndexOf('::', pathAt === -1 ? selector.length : pathAt - 1);
  if (split < searchFrom) {
    throw new RouterError('BBWS_ERR_ROUTE_SELECTOR', `selector "${selector}" at 0: expected "/" or "::"`);
  }
  const left = selector.slice(0, split);
  let rest = selector.slice(split + 2);
  let domain: string | null = null;
  if (!rest.startsWith('/')) {
    const colon = rest.indexOf(':/');
    if (colon === -1) {
      throw new RouterError(
        'BBWS_ERR_ROUTE_SELECTOR',
        `selector "${selector}" at ${split + 2}: expected "/path" or "domain:/path"`,
      );
    }
    domain = rest.slice(0, colon).toLowerCase();
    rest = rest.slice(colon + 1);
  }
  let ip: string | null = null;
  let port: number | null = null;
  if (left !== '') {
    const m = /^(\[[0-9a-fA-F:.]+\]|[0-9.]*)(?::(\d*))?$/.exec(left);
    if (m === null) {
      throw new RouterError('BBWS_ERR_ROUTE_SELECTOR', `selector "${selector}" at 0: expected ip[:port]`);
    }
    const rawIp = m[1] ?? '';
    ip = rawIp === '' ? null : rawIp.replace(/^\[|\]$/g, '');
    port = m[2] === undefined || m[2] === '' ? null : Number(m[2]);
  }
  return { ip, port, domain, path: rest };
}
