import { tsyringe } from '../di/tsyringe.js';
import { CoreError } from '../errors.js';
import { type ControllerClass, type ControllerScope, controllerMetadata } from './metadata.js';

/** Options of {@link Controller}. */
export interface ControllerOptions {
  /** Selector prefix of every route (`'::/api'`, `'127.0.0.1::/admin'`). */
  readonly prefix?: string;
  /**
   * `'singleton'` (default): one instance for the app's life. `'request'`: a fresh instance
   * from a child container per request, which can inject `REQUEST_CONTEXT`; costs a container
   * and a resolve per request (see docs/dependency-injection.md).
   */
  readonly scope?: ControllerScope;
}

/**
 * Marks a class as a controller. Its routes' selectors are prefixed with the selector prefix;
 * its constructor parameters come from DI.
 * @example `@Controller('::/api') class Api { @Get('/hello') hello() { return 'hi'; } }`
 * @see docs/controllers.md
 */
export function Controller(prefixOrOptions: string | ControllerOptions = {}): ClassDecorator {
  const options = typeof prefixOrOptions === 'string' ? { prefix: prefixOrOptions } : prefixOrOptions;
  return (target, ...member: unknown[]) => {
    // A transpiler that does not type-check applies a class decorator to a method too.
    if (typeof target !== 'function' || member.length > 0) {
      const owner = typeof target === 'function' ? target.name : (target as object).constructor.name;
      throw new CoreError(
        'BBWS_ERR_DECORATOR_MISUSE',
        `@Controller on ${owner}.${String(member[0])}: it belongs on a class, not on a method or field`,
      );
    }
    const meta = controllerMetadata(target);
    meta.prefix = options.prefix ?? '';
    meta.scope = options.scope ?? 'singleton';
    tsyringe.injectable()(target as unknown as ControllerClass as never);
  };
}
