/**
 * @packageDocumentation
 * `@bbws/router`: the selector grammar (`ip:port::domain:/path`), typed URL templates and the
 * route table. Imports nothing of ours. See docs/routing.md.
 */
export type { Endpoint } from './endpoint.js';
export { RouterError, type RouterErrorCode } from './errors.js';
export { type MatchResult, type RouteInfo, Router } from './router.js';
export { parseSelector, type Selector } from './selector.js';
