import { RouterError } from '../errors.js';
import { formatSelector } from './format-selector.js';
import { parseSelector, type Selector } from './parse-selector.js';

const NO_PREFIX: Selector = { ip: null, port: null, domain: null, path: '' };

/**
 * Composes a controller prefix with a route selector into one selector, in canonical text
 * (see {@link formatSelector}).
 *
 * - Paths concatenate: `'::/api'` + `'/hello'` gives `'::/api/hello'`; a trailing `/` on the
 *   prefix path is dropped first; a child path of `''` or `'/'` names the prefix path itself
 *   (`'/'` when the prefix has none).
 * - The child may bind an ip, port or domain the prefix leaves open:
 *   `'::/api'` + `':8000::/x'` gives `':8000::/api/x'`. Binding the same value again is allowed.
 * - An empty prefix changes nothing but the form: `''` + `'/hello'` gives `'::/hello'`.
 *
 * @param prefix the controller's selector prefix (`'::/api'`, `'127.0.0.1::/admin'`, `'127.0.0.1::'`, `''`).
 * @param child the route's selector (`'/hello'`, `'::/hello'`, `':8000::/x'`, `''`).
 * @returns the joined selector text, ready for {@link Router.add}.
 * @throws RouterError `BBWS_ERR_ROUTE_SELECTOR_CONFLICT` when the child binds an ip, port or
 *   domain the prefix binds to another value (the message names both selectors);
 *   `BBWS_ERR_ROUTE_SELECTOR` / `BBWS_ERR_ROUTE_TEMPLATE` when either is malformed or the
 *   joined template is invalid (a prefix ending in `{p:path}` or `*`, a placeholder name used
 *   in both).
 * @see docs/routing.md#joining-selectors
 */
export function joinSelector(prefix: string, child: string): string {
  const outer = prefix === '' ? NO_PREFIX : parseSelector(prefix);
  const inner = child === '' ? NO_PREFIX : parseSelector(child);
  const joined = formatSelector({
    ip: narrow('ip', outer.ip, inner.ip, prefix, child),
    port: narrow('port', outer.port, inner.port, prefix, child),
    domain: narrow('domain', outer.domain, inner.domain, prefix, child),
    path: joinPaths(outer.path, inner.path),
  });
  try {
    parseSelector(joined);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RouterError(
      error instanceof RouterError ? error.code : 'BBWS_ERR_ROUTE_TEMPLATE',
      `Joining prefix ${JSON.stringify(prefix)} and selector ${JSON.stringify(child)} gives ${JSON.stringify(joined)}, which is invalid: ${reason}`,
      { selector: joined, position: error instanceof RouterError ? error.position : undefined, cause: error },
    );
  }
  return joined;
}

function narrow<V extends string | number>(
  part: 'ip' | 'port' | 'domain',
  outer: V | null,
  inner: V | null,
  prefix: string,
  child: string,
): V | null {
  if (outer === null) return inner;
  if (inner === null || inner === outer) return outer;
  throw new RouterError(
    'BBWS_ERR_ROUTE_SELECTOR_CONFLICT',
    `Selector ${JSON.stringify(child)} binds ${part} ${inner}, but its prefix ${JSON.stringify(prefix)} binds ${part} ${outer}`,
    { selector: child },
  );
}

function joinPaths(outer: string, inner: string): string {
  const base = outer.endsWith('/') ? outer.slice(0, -1) : outer;
  if (inner === '' || inner === '/') return base === '' ? '/' : base;
  return base + inner;
}
