import type { Endpoint } from './endpoint.js';
import { RouterError } from './errors.js';
import type { MatchResult, RouteFound, RouteInfo, RouteNotFound, RouteParams } from './match-result.js';
import { Leaf } from './matcher/leaf.js';
import { type Binding, MethodTable } from './matcher/method-table.js';
import { findLeaf } from './matcher/route-node.js';
import { formatSelector } from './selector/format-selector.js';
import { compileSelector } from './selector/parse-selector.js';
import { normalizeRequestPath } from './template/percent-encoding.js';
import type { ParamValue } from './template/placeholder-types.js';

const NO_PARAMS: RouteParams = Object.freeze(Object.create(null) as RouteParams);
const NOT_FOUND: RouteNotFound = Object.freeze({ kind: 'not-found' as const });
/** RFC 9110 §5.6.2 token characters. */
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const SLASH = 47;
const PERCENT = '%';

/**
 * The route table: methods and selectors to values, compiled at {@link Router.add} into, per
 * method and per ip/port/domain binding, a radix tree of path templates.
 *
 * For one request the most specific route wins: first by binding (IP > port > domain >
 * global), then segment by segment (static > placeholder > path/wildcard). `HEAD` falls back to
 * `GET`; a path that exists under other methods answers `method-not-allowed` with `Allow`.
 *
 * @typeParam T what a route carries (core stores a compiled handler plan).
 * @see docs/routing.md
 * @example
 * ```ts
 * const router = new Router<string>();
 * router.add('GET', '::/user/{name:str}/{age:int}', 'user');
 * router.match('GET', '/user/ada/36', endpoint);
 * // { kind: 'found', value: 'user', params: { name: 'ada', age: 36 }, route: {...} }
 * ```
 */
export class Router<T> {
  readonly #tables = new Map<string, MethodTable<T>>();
  /**
   * The GET table, also in its own field: GET is most requests (and HEAD falls back to it), and
   * comparing an interned method string and loading a field is cheaper than a map lookup.
   */
  #get: MethodTable<T> | undefined;
  readonly #routes: RouteInfo[] = [];
  /** Placeholder values of the match in progress; `match` is synchronous, so one stack serves all. */
  readonly #values: ParamValue[] = [];

  /**
   * Registers `value` for `method` on `selector`.
   * @param method an HTTP method token, case-sensitive (`GET`, `POST`, `PURGE`...).
   * @param selector `ip:port::domain:/path` (see {@link parseSelector}); the path is required.
   * @param value what {@link Router.match} returns for this route.
   * @throws RouterError `BBWS_ERR_ROUTE_METHOD` for a method that is not a token;
   *   `BBWS_ERR_ROUTE_SELECTOR` / `BBWS_ERR_ROUTE_TEMPLATE` for a malformed selector;
   *   `BBWS_ERR_ROUTE_DUPLICATE` when a route already registered matches the same requests
   *   with the same specificity (the message names both).
   */
  add(method: string, selector: string, value: T): void {
    if (!METHOD_TOKEN.test(method)) {
      throw new RouterError(
        'BBWS_ERR_ROUTE_METHOD',
        `Invalid method ${JSON.stringify(method)} for selector ${JSON.stringify(selector)}: expected an HTTP token such as GET or POST`,
        { selector },
      );
    }
    const compiled = compileSelector(selector);
    const template = compiled.template;
    if (template === null) {
      throw new RouterError(
        'BBWS_ERR_ROUTE_TEMPLATE',
        `Invalid path template in selector ${JSON.stringify(selector)} at position ${selector.length}: expected "/" (a route needs a path), found the end`,
        { selector, position: selector.length },
      );
    }
    const { ip, port, domain, path, placeholders } = compiled;
    const route: RouteInfo = Object.freeze({
      method,
      selector,
      canonical: formatSelector(compiled),
      ip,
      port,
      domain,
      path,
      placeholders,
    });
    let table = this.#tables.get(method);
    if (table === undefined) {
      table = new MethodTable<T>();
      this.#tables.set(method, table);
      if (method === 'GET') this.#get = table;
    }
    const binding = table.bindingFor(ip, port, domain);
    const result: RouteFound<T> | null =
      placeholders.length === 0 ? Object.freeze({ kind: 'found', value, params: NO_PARAMS, route }) : null;
    const leaf = new Leaf(
      value,
      route,
      placeholders.map((p) => p.name),
      result,
    );
    const existing = binding.root.insert(template.segments, leaf);
    if (existing !== null) {
      const before = existing.route;
      throw new RouterError(
        'BBWS_ERR_ROUTE_DUPLICATE',
        `Route ${method} ${JSON.stringify(selector)} is ambiguous with ${before.method} ${JSON.stringify(before.selector)}, registered before: both match the same requests with the same specificity`,
        { selector },
      );
    }
    if (placeholders.length === 0) binding.addStatic(route.path, leaf);
    this.#routes.push(route);
  }

  /**
   * Finds the route for one request. Hot: runs once per request.
   * @param method the request method; `HEAD` falls back to `GET` when no `HEAD` route matches.
   * @param path the raw path, still percent-encoded, without the query. Segments are split on
   *   `/` first, then each captured value is decoded; `.`/`..` segments and encoded slashes
   *   never reach a `{p:path}` value.
   * @param endpoint where the request arrived (local ip, port, domain).
   * @returns `found` with the value and converted params, `method-not-allowed` with the
   *   `Allow` value, or `not-found`.
   */
  match(method: string, path: string, endpoint: Endpoint): MatchResult<T> {
    if (path.charCodeAt(0) !== SLASH) return NOT_FOUND;
    const leaf = this.#findFor(method, path, endpoint);
    // A path that reaches a route without placeholders is, char for char, that route's
    // canonical text (templates are canonical at registration), so it is canonical too and its
    // canonical form would find the same route: only a path that reaches a capture or no route
    // is searched for `%`.
    if (leaf !== null && leaf.result !== null) return leaf.result;
    if (path.includes(PERCENT)) {
      const canonical = normalizeRequestPath(path);
      if (canonical === null) return NOT_FOUND;
      const found = this.#findFor(method, canonical, endpoint);
      if (found !== null) return found.result ?? found.found(this.#values);
      return this.#methodNotAllowedOrNotFound(method, canonical, endpoint);
    }
    if (leaf !== null) return leaf.found(this.#values);
    return this.#methodNotAllowedOrNotFound(method, path, endpoint);
  }

  /** The route's leaf for a method, `HEAD` falling back to `GET`; its captures in {@link #values}. */
  #findFor(method: string, path: string, endpoint: Endpoint): Leaf<T> | null {
    const table = method === 'GET' ? this.#get : this.#tables.get(method);
    if (table !== undefined) {
      const found = this.#find(table, path, endpoint);
      if (found !== null) return found;
    }
    if (method === 'HEAD') {
      const get = this.#get;
      if (get !== undefined) return this.#find(get, path, endpoint);
    }
    return null;
  }

  /**
   * Every registered route, in registration order.
   * @returns a snapshot; the router does not change it afterwards.
   */
  listRoutes(): readonly RouteInfo[] {
    return this.#routes.slice();
  }

  /** `true` when some route is registered for `method` (core answers 501 for unknown methods). */
  hasMethod(method: string): boolean {
    return this.#tables.has(method) || (method === 'HEAD' && this.#tables.has('GET'));
  }

  /** Hot: the binding loop usually runs once (only global routes). */
  #find(table: MethodTable<T>, path: string, endpoint: Endpoint): Leaf<T> | null {
    const bindings = table.bindings;
    for (let k = 0; k < bindings.length; k++) {
      const binding = bindings[k] as Binding<T>;
      if (binding.score !== 0 && !binding.applies(endpoint)) continue;
      const fixed = binding.staticLeaf(path);
      if (fixed !== undefined) return fixed;
      // The root stands for the leading `/`, which `match` checked.
      const leaf = findLeaf(binding.root, path, 1, this.#values);
      if (leaf !== null) return leaf;
    }
    return null;
  }

  #methodNotAllowedOrNotFound(method: string, path: string, endpoint: Endpoint): MatchResult<T> {
    const allow: string[] = [];
    for (const [other, table] of this.#tables) {
      if (other !== method && this.#find(table, path, endpoint) !== null) allow.push(other);
    }
    if (allow.length === 0) return NOT_FOUND;
    if (allow.includes('GET') && !allow.includes('HEAD')) allow.push('HEAD');
    allow.sort();
    return { kind: 'method-not-allowed', allow: allow.join(', ') };
  }
}
