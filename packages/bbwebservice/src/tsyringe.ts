import '@bbws/core';
import { createRequire } from 'node:module';
import type * as Tsyringe from 'tsyringe';

// tsyringe's decorators for services, re-exported. tsyringe is CommonJS: through require() Node
// does not scan its files for export names as `export ... from 'tsyringe'` makes it do, which
// costs about 50 ms of start (docs/architecture.md, "What start loads"). `@bbws/core`, imported
// first, has loaded it after its Reflect polyfill (from its one-file copy when that matches the
// installed version, entered into the module cache under tsyringe's own filename), so this
// require() finds core's instance in the cache.
const tsyringe = createRequire(import.meta.url)('tsyringe') as typeof Tsyringe;

/** tsyringe's root container. */
export const container: typeof Tsyringe.container = tsyringe.container;
/** tsyringe's `delay`: a lazy token for circular constructor dependencies. */
export const delay: typeof Tsyringe.delay = tsyringe.delay;
/** tsyringe's `@inject(token)` parameter decorator. */
export const inject: typeof Tsyringe.inject = tsyringe.inject;
/** tsyringe's `@injectable()` class decorator. */
export const injectable: typeof Tsyringe.injectable = tsyringe.injectable;
/** tsyringe's `@scoped(lifecycle)` class decorator. */
export const scoped: typeof Tsyringe.scoped = tsyringe.scoped;
/** tsyringe's `@singleton()` class decorator. */
export const singleton: typeof Tsyringe.singleton = tsyringe.singleton;
/** tsyringe's lifecycles (`Lifecycle.Singleton`, `Lifecycle.ContainerScoped`, ...). */
export const Lifecycle: typeof Tsyringe.Lifecycle = tsyringe.Lifecycle;
/** One of tsyringe's lifecycles. */
export type Lifecycle = Tsyringe.Lifecycle;
