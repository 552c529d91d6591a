import { CoreError } from '../errors.js';
import { isHttpToken } from '../internal/http-token.js';
import { controllerMetadata } from './metadata.js';
import { decoratedMethod } from './method-name.js';

/** Options of a route decorator. */
export interface RouteOptions {
  /** Content-Type of the answer (`MIME_TYPE.TEXT`, ...); `MIME_TYPE.DYNAMIC` defers it to the result. */
  readonly type?: string;
  /**
   * `false` sends this route's bodies uncompressed whatever the client accepts (bodies that
   * are already compressed, or secrets a compression side channel could leak, as in BREACH).
   * Default `true`: the app's `compression` settings apply. @see docs/responses.md#compression
   */
  readonly compress?: boolean;
}

/**
 * Registers the method for one or several HTTP methods on `selector`
 * (`'/path'`, `'::/path'`, `'127.0.0.1:8000::example.com:/path/{id:int}'`), joined to the
 * controller's prefix.
 * @throws CoreError `BBWS_ERR_DECORATOR_MISUSE` for a method that is not an HTTP token
 * @see docs/controllers.md
 */
export function Route(
  method: string | readonly string[],
  selector: string,
  options: RouteOptions = {},
): MethodDecorator {
  return route('@Route', method, selector, options);
}

function route(
  decorator: string,
  method: string | readonly string[],
  selector: string,
  options: RouteOptions = {},
): MethodDecorator {
  const methods = typeof method === 'string' ? [method] : [...method];
  for (const m of methods) {
    if (!isHttpToken(m)) {
      throw new CoreError(
        'BBWS_ERR_DECORATOR_MISUSE',
        `@Route: ${JSON.stringify(m)} is not an HTTP method token`,
      );
    }
  }
  if (options.compress !== undefined && typeof options.compress !== 'boolean') {
    throw new CoreError(
      'BBWS_ERR_DECORATOR_MISUSE',
      `@Route: compress must be true or false, got ${JSON.stringify(options.compress)}`,
    );
  }
  if (methods.length === 0) throw new CoreError('BBWS_ERR_DECORATOR_MISUSE', '@Route: no HTTP method given');
  return (target, propertyKey, descriptor) => {
    const name = decoratedMethod(decorator, target, propertyKey, descriptor);
    controllerMetadata(target.constructor).routes.push({
      methods,
      selector,
      mimeType: options.type ?? null,
      compress: options.compress ?? true,
      propertyKey: name,
    });
  };
}

const verb =
  (method: string) =>
  (selector: string, options?: RouteOptions): MethodDecorator =>
    route(`@${method[0]}${method.slice(1).toLowerCase()}`, method, selector, options);

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
