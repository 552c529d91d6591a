import { injectable } from 'tsyringe';
import { type ControllerClass, controllerMetadata } from './metadata.js';

/**
 * Marks a class as a controller. Its routes' selectors are prefixed with `selectorPrefix`
 * (`'::/api'`, `'127.0.0.1::/admin'`); its constructor parameters come from DI.
 * @see docs/controllers.md
 */
export function Controller(selectorPrefix?: string): ClassDecorator {
  return (target) => {
    controllerMetadata(target).prefix = selectorPrefix ?? '';
    injectable()(target as unknown as ControllerClass as never);
  };
}
