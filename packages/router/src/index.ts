/**
 * @packageDocumentation
 * `@bbws/router`: the selector grammar (`ip:port::domain:/path`), typed URL templates
 * (`{name:str|int|float|bool|path}`, a trailing `*`) and the route table that matches
 * requests by endpoint, method and path. Imports nothing of ours. See docs/routing.md.
 */

export { BbwsError } from './bbws-error.js';
export type { Endpoint } from './endpoint.js';
export { RouterError, type RouterErrorCode, type RouterErrorDetails } from './errors.js';
export type {
  MatchResult,
  RouteFound,
  RouteInfo,
  RouteMethodNotAllowed,
  RouteNotFound,
  RouteParams,
} from './match-result.js';
export { Router } from './router.js';
export { formatSelector } from './selector/format-selector.js';
export { formatIpv6 } from './selector/ip-address.js';
export { joinSelector } from './selector/join-selector.js';
export { type ParsedSelector, parseSelector, type Selector } from './selector/parse-selector.js';
export type { Placeholder } from './template/parse-template.js';
export type { ParamValue, PlaceholderType } from './template/placeholder-types.js';
