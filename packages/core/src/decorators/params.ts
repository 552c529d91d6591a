import { CoreError } from '../errors.js';
import { controllerMetadata, type ParamSource } from './metadata.js';

function param(source: ParamSource): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (typeof propertyKey !== 'string') {
      throw new CoreError('BBWS_ERR_DECORATOR_MISUSE', 'parameter decorators belong on route methods');
    }
    const params = controllerMetadata(target.constructor).params;
    let list = params.get(propertyKey);
    if (list === undefined) {
      list = [];
      params.set(propertyKey, list);
    }
    list[index] = source;
  };
}

/** The URL template placeholder `name`, converted to its declared type. @see docs/controllers.md */
export const Param = (name: string): ParameterDecorator => param({ kind: 'param', name });
/** The query parameter `name`, or the whole query as an object. @see docs/controllers.md */
export const Query = (name?: string): ParameterDecorator => param({ kind: 'query', name: name ?? null });
/** The request body. @see docs/controllers.md */
export const Body = (): ParameterDecorator => param({ kind: 'body' });
/** A request header (case-insensitive name). @see docs/controllers.md */
export const Header = (name: string): ParameterDecorator =>
  param({ kind: 'header', name: name.toLowerCase() });
/** The request context. @see docs/controllers.md */
export const Ctx = (): ParameterDecorator => param({ kind: 'ctx' });
