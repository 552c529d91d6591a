import type { Selector } from './parse-selector.js';

/**
 * The canonical text of a selector: `::/path` when it binds nothing, otherwise
 * `ip:port::domain:/path` with the absent parts left empty (`127.0.0.1::/x`, `:8000::/x`,
 * `:::example.com:/x`, `[::1]:8000::/x`). Parsing the text gives the same selector back.
 * @see docs/routing.md#selector-grammar
 */
export function formatSelector(selector: Selector): string {
  const { ip, port, domain, path } = selector;
  const host = ip === null ? '' : ip.includes(':') ? `[${ip}]` : ip;
  if (domain !== null) return `${host}:${port ?? ''}::${domain}:${path}`;
  if (port !== null) return `${host}:${port}::${path}`;
  return `${host}::${path}`;
}
