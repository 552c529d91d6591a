import { controllerMetadata } from './metadata.js';
import { methodName } from './method-name.js';

/**
 * Runs the route in the worker thread pool instead of on the main event loop: for CPU-bound
 * handlers, and so `handler_timeout` can stop one that never yields (its worker is replaced).
 * The pool starts only when some route is offloaded. Put it above or below the route decorator.
 * @throws CoreError `BBWS_ERR_DECORATOR_MISUSE` on a symbol-named method
 * @see docs/worker-pool.md
 * @example
 * ```ts
 * @Offload() @Get('/hash/{n:int}')
 * hash(@Param('n') n: number) { return slowHash(n); }
 * ```
 */
export function Offload(): MethodDecorator {
  return (target, propertyKey) => {
    controllerMetadata(target.constructor).offloaded.add(methodName('@Offload', target, propertyKey));
  };
}
