import type { DependencyContainer, InjectionToken, Provider } from 'tsyringe';
import type { ConfigInput } from '../config/config-schema.js';
import type { ControllerClass } from '../decorators/metadata.js';
import type { LogHub } from '../logging/log-hub.js';
import type { WorkerModuleOptions } from '../offload/worker-mode.js';

/** A provider registration: a token and how to provide it (class, value, factory or token). */
export type ProviderEntry = readonly [InjectionToken<unknown>, Provider<unknown>];

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Controller classes (decorated with `@Controller`). */
  readonly controllers: readonly ControllerClass[];
  /** Providers registered on the app's own child container, before controllers resolve. */
  readonly providers?: readonly ProviderEntry[];
  /** A config object, or the path of a config.json (default `config/config.json` in the cwd). */
  readonly config?: ConfigInput | string;
  /** Parent container (default: tsyringe's root container). */
  readonly container?: DependencyContainer;
  /** The log hub (default: one built from the config's `log` section, closed on stop). */
  readonly logger?: LogHub;
  /** Environment for `BBWS_*` overrides (default `process.env`; `{}` ignores the environment). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * What pool workers load to build this same app: a module and its export (a factory, or the
   * app), usually `{ module: import.meta.url, export: 'createMyApp' }` in the factory's own
   * module. Required when a route is offloaded; workers never import the entry script.
   * @see docs/worker-pool.md
   */
  readonly worker?: WorkerModuleOptions;
}

/** Options of {@link App.start}. */
export interface StartOptions {
  /**
   * Stop gracefully on the first SIGINT/SIGTERM, then exit 0; a second signal exits 130 at once
   * (default true). The app is then the signals' one owner: add no handler of your own beside
   * it, or pass `false` and call `app.stop()` from yours. @see docs/controllers.md#lifecycle
   */
  readonly handleSignals?: boolean;
}
