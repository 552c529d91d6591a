import { CoreError } from '../errors.js';

/**
 * The method name a method or parameter decorator was applied to.
 * @throws CoreError `BBWS_ERR_DECORATOR_MISUSE` for symbol keys and constructor parameters
 */
export function methodName(
  decorator: string,
  target: object,
  propertyKey: string | symbol | undefined,
): string {
  if (typeof propertyKey !== 'string') {
    const owner = typeof target === 'function' ? target.name : target.constructor.name;
    throw new CoreError(
      'BBWS_ERR_DECORATOR_MISUSE',
      `${decorator} on ${owner}: it belongs on a method with a string name${
        propertyKey === undefined ? ', not on a constructor parameter' : ''
      }`,
    );
  }
  return propertyKey;
}
