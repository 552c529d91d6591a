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

/**
 * The name of the method a method decorator was applied to, refusing a field or an accessor:
 * a transpiler that does not type-check (swc, esbuild) applies a method decorator to a field
 * too, and a field holding an arrow function would otherwise be served as a route.
 * @throws CoreError `BBWS_ERR_DECORATOR_MISUSE`
 */
export function decoratedMethod(
  decorator: string,
  target: object,
  propertyKey: string | symbol,
  descriptor: PropertyDescriptor | undefined,
): string {
  const name = methodName(decorator, target, propertyKey);
  if (descriptor === undefined || typeof descriptor.value !== 'function') {
    throw new CoreError(
      'BBWS_ERR_DECORATOR_MISUSE',
      `${decorator} on ${target.constructor.name}.${name}: it belongs on a method, not on a ${
        descriptor === undefined ? 'field' : 'getter or setter'
      }`,
    );
  }
  return name;
}
