/**
 * Stable codes of the router's errors. A code never changes meaning; test codes, not messages.
 * @see docs/routing.md#errors
 */
export type RouterErrorCode =
  /** The `ip:port::domain:` part of a selector is malformed (bad IP, port, domain or separator). */
  | 'BBWS_ERR_ROUTE_SELECTOR'
  /** The path template is malformed (placeholder syntax, type, position, separators). */
  | 'BBWS_ERR_ROUTE_TEMPLATE'
  /** Two routes would match the same requests with the same specificity. */
  | 'BBWS_ERR_ROUTE_DUPLICATE'
  /** The method is not an HTTP token (RFC 9110 §5.6.2). */
  | 'BBWS_ERR_ROUTE_METHOD'
  /** {@link joinSelector}: the child selector binds an ip, port or domain the prefix already binds differently. */
  | 'BBWS_ERR_ROUTE_SELECTOR_CONFLICT';

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
export class RouterError extends Error {
  override readonly name = 'RouterError';
  /** The stable code, see {@link RouterErrorCode}. */
  readonly code: RouterErrorCode;
  /** The selector text that failed, when the error is about one selector. */
  readonly selector: string | undefined;
  /** Zero-based index of the offending character in `selector`, for parse errors. */
  readonly position: number | undefined;

  constructor(code: RouterErrorCode, message: string, details: RouterErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
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
