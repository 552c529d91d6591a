import { CoreError } from '../errors.js';
import { controllerMetadata } from './metadata.js';
import { methodName } from './method-name.js';

/** Options of {@link Task}. */
export interface TaskOptions {
  /** Milliseconds between runs (a run never overlaps the previous one). */
  readonly interval: number;
  /** Run once right at start (default false). */
  readonly runOnStart?: boolean;
}

/**
 * Runs the method in the background every `interval` ms while the app is started (the seed's
 * `server_task`); the method has the controller's injected services. Stopped on `app.stop()`.
 * @see docs/controllers.md
 */
export function Task(options: TaskOptions): MethodDecorator {
  if (!Number.isFinite(options.interval) || options.interval <= 0) {
    throw new CoreError(
      'BBWS_ERR_DECORATOR_MISUSE',
      `@Task: interval must be a positive number of ms, got ${options.interval}`,
    );
  }
  return (target, propertyKey) => {
    const name = methodName('@Task', target, propertyKey);
    controllerMetadata(target.constructor).tasks.push({
      intervalMs: options.interval,
      runOnStart: options.runOnStart ?? false,
      propertyKey: name,
    });
  };
}
