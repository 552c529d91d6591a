import { CoreError } from '../errors.js';
import { controllerMetadata, type GuardClass } from './metadata.js';

/**
 * Guards a controller (on the class) or one route (on the method). Guards run in order before
 * the handler; the first to refuse answers 403 (or the HttpError it throws).
 * @see docs/controllers.md
 */
export function UseGuards(...guards: GuardClass[]): ClassDecorator & MethodDecorator {
  if (guards.length === 0)
    throw new CoreError('BBWS_ERR_DECORATOR_MISUSE', '@UseGuards() needs at least one guard');
  return ((target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) {
      controllerMetadata(target).classGuards.push(...guards);
      return;
    }
    if (typeof propertyKey !== 'string') {
      throw new CoreError(
        'BBWS_ERR_DECORATOR_MISUSE',
        '@UseGuards belongs on a class or a string-named method',
      );
    }
    const map = controllerMetadata(target.constructor).methodGuards;
    map.set(propertyKey, [...(map.get(propertyKey) ?? []), ...guards]);
  }) as ClassDecorator & MethodDecorator;
}
