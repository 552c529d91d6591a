import { CoreError } from '../errors.js';
import { controllerMetadata } from './metadata.js';
import { decoratedMethod } from './method-name.js';

/** Options of {@link ErrorHandler}. */
export interface ErrorHandlerOptions {
  /** Content-Type of the page (`MIME_TYPE.HTML`, ...). */
  readonly type?: string;
}

/**
 * Makes the method the answer for `status` (404, 500, ...) for requests within the
 * controller's selector prefix (the most specific prefix wins). The method may take `@Ctx()`;
 * `ctx.error` holds the error. @see docs/controllers.md
 */
export function ErrorHandler(status: number, options: ErrorHandlerOptions = {}): MethodDecorator {
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new CoreError('BBWS_ERR_DECORATOR_MISUSE', `@ErrorHandler(${status}): the status must be 400..599`);
  }
  return (target, propertyKey, descriptor) => {
    const name = decoratedMethod('@ErrorHandler', target, propertyKey, descriptor);
    controllerMetadata(target.constructor).errorHandlers.push({
      status,
      mimeType: options.type ?? null,
      propertyKey: name,
    });
  };
}
