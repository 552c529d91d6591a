import type { Placeholder } from './template/parse-template.js';
import type { ParamValue } from './template/placeholder-types.js';

/**
 * Converted placeholder values by name: `int` and `float` as numbers, `bool` as booleans,
 * `str` and `path` (and `*`) as decoded strings. A null-prototype object; routes without
 * placeholders share one frozen empty object.
 */
export type RouteParams = Readonly<Record<string, ParamValue>>;

/** One registered route, as {@link Router.listRoutes} reports it. */
export interface RouteInfo {
  /** The method it was registered for (`GET`, `POST`, any token). */
  readonly method: string;
  /** The selector as given to {@link Router.add}. */
  readonly selector: string;
  /** The canonical selector text (`::/api/{id:int}`). */
  readonly canonical: string;
  /** The bound local IP (canonical), or `null` for any. */
  readonly ip: string | null;
  /** The bound local port, or `null` for any. */
  readonly port: number | null;
  /** The bound domain (lower-case), or `null` for any. */
  readonly domain: string | null;
  /** The path template, canonical. */
  readonly path: string;
  /** Its placeholders, in order. */
  readonly placeholders: readonly Placeholder[];
}

/** A route was found: its value, the converted placeholder values and the route itself. */
export interface RouteFound<T> {
  readonly kind: 'found';
  readonly value: T;
  readonly params: RouteParams;
  /** The route that matched (for logs and metrics labels). */
  readonly route: RouteInfo;
}

/** The path exists for this endpoint, but not under this method. */
export interface RouteMethodNotAllowed {
  readonly kind: 'method-not-allowed';
  /** The value of the `Allow` header: the path's methods, sorted, `HEAD` added when `GET` is there. */
  readonly allow: string;
}

/** No route of any method matches the path for this endpoint. */
export interface RouteNotFound {
  readonly kind: 'not-found';
}

/**
 * The outcome of {@link Router.match}.
 * @typeParam T what a route carries.
 */
export type MatchResult<T> = RouteFound<T> | RouteMethodNotAllowed | RouteNotFound;
