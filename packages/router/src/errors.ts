import { BbwsError } from './bbws-error.js';

/**
 * The router's error table: every code it throws and what it means (docs/errors.md is generated
 * from it). A code never changes meaning; test codes, not messages.
 * @see docs/routing.md#errors
 */
export const ROUTER_ERRORS = {
  BBWS_ERR_ROUTE_SELECTOR:
    'the `ip:port::domain:/path` selector is malformed (bad ip, port out of range, bad domain, missing path)',
  BBWS_ERR_ROUTE_TEMPLATE:
    'the path template is malformed: unknown placeholder type, `{a:int}{b:int}` without a separator, `{p:path}` not whole and last, a repeated placeholder name, no path',
  BBWS_ERR_ROUTE_DUPLICATE:
    'two routes would answer the same requests with the same specificity; names both (in an app: both classes and methods)',
  BBWS_ERR_ROUTE_METHOD: 'the method is not an HTTP token',
  BBWS_ERR_ROUTE_SELECTOR_CONFLICT:
    "`joinSelector`: a method selector contradicts its controller prefix's ip, port or domain",
} as const;

/** Stable codes of the router's errors: the keys of {@link ROUTER_ERRORS}. */
export type RouterErrorCode = keyof typeof ROUTER_ERRORS;

/** Where in which selector a parse error happened. */
export interface RouterErrorDetails {
  /** The selector (or template) text that failed. */
  readonly selector?: string;
  /** Zero-based index of the offending character in {@link RouterErrorDetails.selector}. */
  readonly position?: number;
  /** The underlying error, when this one wraps another. */
  readonly cause?: unknown;
}

/**
 * A route that cannot be registered or a selector that cannot be parsed. `code` is stable; the
 * message names the offending input and, for parse errors, the position and what was expected.
 * @see docs/routing.md#errors
 */
export class RouterError extends BbwsError {
  override readonly name: string = 'RouterError';
  /** The stable code, see {@link ROUTER_ERRORS}. */
  declare readonly code: RouterErrorCode;
  /** The selector text that failed, when the error is about one selector. */
  readonly selector: string | undefined;
  /** Zero-based index of the offending character in `selector`, for parse errors. */
  readonly position: number | undefined;

  constructor(code: RouterErrorCode, message: string, details: RouterErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.selector = details.selector;
    this.position = details.position;
  }
}

/**
 * Builds the parse error of `selector` at `position`: one line naming the selector, the position
 * and what was expected, then the selector again with a caret under the offending character.
 * @internal
 */
export function parseError(
  code: 'BBWS_ERR_ROUTE_SELECTOR' | 'BBWS_ERR_ROUTE_TEMPLATE',
  selector: string,
  position: number,
  expected: string,
  found: string = position >= selector.length ? 'the end' : JSON.stringify(selector[position]),
): RouterError {
  const what = code === 'BBWS_ERR_ROUTE_SELECTOR' ? 'selector' : 'path template in selector';
  const message =
    `Invalid ${what} ${JSON.stringify(selector)} at position ${position}: expected ${expected}, found ${found}` +
    `\n  ${selector}\n  ${' '.repeat(position)}^`;
  return new RouterError(code, message, { selector, position });
}
