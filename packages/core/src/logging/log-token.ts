import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { LogHub } from './log-hub.js';

/**
 * DI token of the app's {@link LogHub}, for `@inject(LOG_HUB)` where constructor parameter
 * types are not emitted. With decorator metadata, a `LogHub`-typed parameter works too.
 * @see docs/logging.md
 */
export const LOG_HUB: InjectionToken<LogHub> = Symbol.for('bbws.LogHub');

/**
 * Registers `hub` on `container` under both tokens (`LogHub` and {@link LOG_HUB}), so
 * controllers and services receive the app's hub.
 */
export function registerLogHub(container: DependencyContainer, hub: LogHub): void {
  container.register(LogHub, { useValue: hub });
  container.register(LOG_HUB, { useValue: hub });
}
