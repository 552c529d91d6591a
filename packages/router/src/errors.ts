/** Stable codes of the router's errors; see docs/errors.md. */
export type RouterErrorCode =
  | 'BBWS_ERR_ROUTE_SELECTOR'
  | 'BBWS_ERR_ROUTE_TEMPLATE'
  | 'BBWS_ERR_ROUTE_DUPLICATE'
  | 'BBWS_ERR_ROUTE_METHOD';

/** A route that cannot be registered. `code` is stable; the message names the offending input. */
export class RouterError extends Error {
  override readonly name = 'RouterError';
  readonly code: RouterErrorCode;
  constructor(code: RouterErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
