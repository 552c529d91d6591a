import { pathToFileURL } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import type { JobResult } from '@bbws/transport';
import type { Config } from '../config/config-schema.js';

/**
 * What a pool worker loads to build the app: a module and one of its exports, a function that
 * returns the app (or a promise of it), or the app itself. Never the entry script: an entry
 * listens, starts an adapter or is a test runner, and a worker must do none of that.
 * @see docs/worker-pool.md
 */
export interface WorkerModuleOptions {
  /**
   * The module, as a URL or path: usually `import.meta.url` of the module that exports the
   * factory. A `.ts` module is loaded through @swc/core (tests run from TypeScript sources).
   */
  readonly module: string | URL;
  /** The export: a factory called with no argument, or an app (default `"default"`). */
  readonly export?: string;
}

/** What a pool worker of an app receives as `workerData`. */
export interface PoolWorkerData {
  /** Marks the thread as a bbwebservice pool worker (other worker threads are ordinary). */
  readonly bbwsPoolWorker: true;
  /** The module URL the worker imports. */
  readonly module: string;
  /** The export of that module that builds the app. */
  readonly export: string;
  /** The main thread's validated config: the worker's app uses it, reading no file. */
  readonly config: Config;
  /** `Controller.method` of every route plan in order; the worker's app must have the same. */
  readonly routes: readonly string[];
  /** For a `.ts` module: the port to the main thread's compiler (ts-transform-service.ts). */
  readonly tsPort: MessagePort | null;
}

/** Something that runs offloaded calls in a worker: the worker-side half of an app. */
export interface WorkerSideApp {
  /** `Controller.method` of the route plans in registration order. */
  readonly routes: readonly string[];
  readonly dispatch: (payload: unknown) => Promise<JobResult>;
}

const POOL_DATA_KEY = Symbol.for('bbws.offload.poolWorkerData');

/**
 * This thread's pool-worker data, or null in the main thread and in unrelated workers. The
 * worker's script (worker-main.ts) hands it over with {@link adoptPoolWorkerData} before it
 * imports the app's module; kept on `globalThis` like the sides below. So the main thread never
 * loads node:worker_threads to ask whether it is a worker (about 1.3 ms of every start).
 */
export function poolWorkerData(): PoolWorkerData | null {
  return (globalThis as Record<symbol, PoolWorkerData | undefined>)[POOL_DATA_KEY] ?? null;
}

/** Takes this worker thread's `workerData` as pool-worker data when it is; null otherwise. */
export function adoptPoolWorkerData(workerData: unknown): PoolWorkerData | null {
  if (
    typeof workerData !== 'object' ||
    workerData === null ||
    (workerData as { bbwsPoolWorker?: unknown }).bbwsPoolWorker !== true
  )
    return null;
  (globalThis as Record<symbol, PoolWorkerData>)[POOL_DATA_KEY] = workerData as PoolWorkerData;
  return workerData as PoolWorkerData;
}

/**
 * Apps built in this worker, by app object. Kept on `globalThis` under a registered symbol:
 * under a test runner the worker's bootstrap (compiled JavaScript) and the app (TypeScript
 * sources loaded through the hook) may be two copies of this module, and both must see it.
 */
const SIDES_KEY = Symbol.for('bbws.offload.workerSides');
const shared = globalThis as Record<symbol, WeakMap<object, WorkerSideApp> | undefined>;
const sides: WeakMap<object, WorkerSideApp> = shared[SIDES_KEY] ?? new WeakMap<object, WorkerSideApp>();
shared[SIDES_KEY] = sides;

/** Records the worker-side half of an app built in a pool worker. */
export function registerWorkerSide(app: object, side: WorkerSideApp): void {
  sides.set(app, side);
}

/** The worker-side half of `value` when it is an app built in this pool worker. */
export function workerSideOf(value: unknown): WorkerSideApp | undefined {
  return typeof value === 'object' && value !== null ? sides.get(value) : undefined;
}

/** A module option as a URL string: URLs as given, paths converted. */
export function moduleUrlOf(module: string | URL): string {
  if (module instanceof URL) return module.href;
  return /^[a-z][a-z0-9+.-]*:/i.test(module) && !/^[a-z]:[\\/]/i.test(module)
    ? module
    : pathToFileURL(module).href;
}
