import { CoreError } from '../errors.js';
import { controllerMetadata } from './metadata.js';

/** Options of a route decorator. */
export interface RouteOptions {
  /** Content-Type of the answer (`MIME_TYPE.TEXT`, ...); `MIME_TYPE.DYNAMIC` defers it. */
  readonly type?: string;
}

/**
 * Registers the method for `method` (one or several) on `selector`.
 * @see docs/controllers.md
 */
export function Route(
  method: string | readonly string[],
  selector: string,
  options: RouteOptions = {},
): MethodDecorator {
  const methods = typeof method === 'string' ? [method] : [...method];
  return (target, propertyKey) => {
    if (typeof propertyKey !== 'string') {
      throw new CoreError('BBWS_ERR_DECORATOR_MISUSE', 'route decorators need a string method name');
    }
    controllerMetadata(target.constructor).routes.push({
      methods,
      selector,
      mimeType: options.type ?? null,
      propertyKey,
    });
  };
}

const verb =
  (method: string) =>
  (selector: string, options?: RouteOptions): MethodDecorator =>
    Route(method, selector, options);

/** `GET` route; HEAD is answered by it too. @see docs/controllers.md */
export const Get = verb('GET');
/** `POST` route. @see docs/controllers.md */
export const Post = verb('POST');
/** `PUT` route. @see docs/controllers.md */
export const Put = verb('PUT');
/** `PATCH` route. @see docs/controllers.md */
export const Patch = verb('PATCH');
/** `DELETE` route. @see docs/controllers.md */
export const Delete = verb('DELETE');
/** `OPTIONS` route. @see docs/controllers.md */
export const Options = verb('OPTIONS');
/** `HEAD` route (GET routes answer HEAD without one). @see docs/controllers.md */
export const Head = verb('HEAD');
