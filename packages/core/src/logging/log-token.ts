import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { tsyringe } from '../di/tsyringe.js';
import { LogHub } from './log-hub.js';

/**
 * DI token of the app's {@link LogHub}, for `@inject(LOG_HUB)` where constructor parameter
 * types are not emitted. With decorator metadata, a `LogHub`-typed parameter works too.
 * @see docs/logging.md
 */
export const LOG_HUB: InjectionToken<LogHub> = Symbol.for('bbws.LogHub');

/**
 * Registers the app's hub on `container` under both tokens (`LogHub` and {@link LOG_HUB}), so
 * controllers and services receive it.
 * @param hub the hub, or a function that creates it on first resolution (when the config it
 *   is built from is read later than the container is set up)
 */
export function registerLogHub(container: DependencyContainer, hub: LogHub | (() => LogHub)): void {
  if (hub instanceof LogHub) container.register(LogHub, { useValue: hub });
  else container.register(LogHub, { useFactory: tsyringe.instanceCachingFactory<LogHub>(() => hub()) });
  container.register(LOG_HUB, { useFactory: (c) => c.resolve(LogHub) });
}
