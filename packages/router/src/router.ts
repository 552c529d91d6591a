import type { Endpoint } from './endpoint.js';
import { RouterError } from './errors.js';
import { parseSelector, type Selector } from './selector.js';

/** The outcome of {@link Router.match}. */
export type MatchResult<T> =
  | { readonly kind: 'found'; readonly value: T; readonly params: Readonly<Record<string, unknown>> }
  | { readonly kind: 'method-not-allowed'; readonly allow: string }
  | { readonly kind: 'not-found' };

/** One registered route, as {@link Router.listRoutes} reports it. */
export interface RouteInfo {
  readonly method: string;
  readonly selector: string;
}

interface Entry<T> {
  readonly selector: Selector;
  readonly source: string;
  readonly value: T;
}

const NO_PARAMS: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null));
const NOT_FOUND = Object.freeze({ kind: 'not-found' as const });

/**
 * The route table: selectors and methods to values. Skeleton: static paths only.
 * @typeParam T what a route carries (core stores a compiled handler plan).
 */
export class Router<T> {
  readonly #byPath = new Map<string, Map<string, Entry<T>[]>>();
  readonly #routes: RouteInfo[] = [];

  /**
   * Registers `value` for `method` on `selector`.
   * @throws RouterError on a malformed selector or a duplicate route.
   */
  add(method: string, selector: string, value: T): void {
    const parsed = parseSelector(selector);
    let methods = this.#byPath.get(parsed.path);
    if (methods === undefined) {
      methods = new Map();
      this.#byPath.set(parsed.path, methods);
    }
    let entries = methods.get(method);
    if (entries === undefined) {
      entries = [];
      methods.set(method, entries);
    }
    for (const e of entries) {
      if (
        e.selector.ip === parsed.ip &&
        e.selector.port === parsed.port &&
        e.selector.domain === parsed.domain
      ) {
        throw new RouterError(
          'BBWS_ERR_ROUTE_DUPLICATE',
          `${method} ${selector} duplicates ${method} ${e.source}`,
        );
      }
    }
    entries.push({ selector: parsed, source: selector, value });
    this.#routes.push({ method, selector });
  }

  /** Finds the route for a request. HEAD falls back to GET. */
  match(method: string, path: string, endpoint: Endpoint): MatchResult<T> {
    const methods = this.#byPath.get(path);
    if (methods === undefined) return NOT_FOUND;
    let entries = methods.get(method);
    if (entries === undefined && method === 'HEAD') entries = methods.get('GET');
    if (entries !== undefined) {
      let best: Entry<T> | undefined;
      let bestScore = -1;
      for (const e of entries) {
        const score = scoreFor(e.selector, endpoint);
        if (score > bestScore) {
          best = e;
          bestScore = score;
        }
      }
      if (best !== undefined) return { kind: 'found', value: best.value, params: NO_PARAMS };
    }
    const allow = [...methods.keys()];
    if (allow.length === 0) return NOT_FOUND;
    if (allow.includes('GET') && !allow.includes('HEAD')) allow.push('HEAD');
    return { kind: 'method-not-allowed', allow: allow.sort().join(', ') };
  }

  /** Every registered route, in registration order. */
  listRoutes(): readonly RouteInfo[] {
    return this.#routes;
  }
}

/** -1 when the selector does not apply to the endpoint; otherwise higher is more specific. */
function scoreFor(s: Selector, ep: Endpoint): number {
  let score = 0;
  if (s.ip !== null) {
    if (s.ip !== ep.ip) return -1;
    score += 4;
  }
  if (s.port !== null) {
    if (s.port !== ep.port) return -1;
    score += 2;
  }
  if (s.domain !== null) {
    if (s.domain !== ep.domain) return -1;
    score += 1;
  }
  return score;
}
