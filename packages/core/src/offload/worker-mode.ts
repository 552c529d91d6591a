import { isMainThread, workerData } from 'node:worker_threads';

/** What a pool worker of an app receives as `workerData`. */
export interface PoolWorkerData {
  /** Marks the thread as a bbwebservice pool worker (other worker threads are ordinary). */
  readonly bbwsPoolWorker: true;
  /** The app's entry module URL, re-imported by the worker. */
  readonly entry: string;
  /** Which app of that module, counting `createApp` calls in order (usually 0). */
  readonly ordinal: number;
  /** How many route plans the main thread's app has; the worker's must match. */
  readonly routeCount: number;
}

/** Something that runs offloaded calls in a worker: the worker-side half of an app. */
export interface WorkerSideApp {
  /** The entry module URL the app was created with. */
  readonly entry: string;
  /** The route plans in registration order. */
  readonly routeCount: number;
  readonly dispatch: (payload: unknown) => Promise<import('@bbws/transport').JobResult>;
}

/** This thread's pool-worker data, or null in the main thread and in unrelated workers. */
export const poolWorkerData: PoolWorkerData | null =
  !isMainThread &&
  typeof workerData === 'object' &&
  workerData !== null &&
  (workerData as { bbwsPoolWorker?: unknown }).bbwsPoolWorker === true
    ? (workerData as PoolWorkerData)
    : null;

const appsByEntry = new Map<string, WorkerSideApp[]>();
const ordinals = new Map<string, number>();

/** The next ordinal of an app created with `entry` in this thread (0, 1, ...). */
export function nextOrdinal(entry: string): number {
  const ordinal = ordinals.get(entry) ?? 0;
  ordinals.set(entry, ordinal + 1);
  return ordinal;
}

/** Records an app created in a pool worker, for the worker bootstrap to find. */
export function registerWorkerApp(app: WorkerSideApp): void {
  const list = appsByEntry.get(app.entry) ?? [];
  list.push(app);
  appsByEntry.set(app.entry, list);
}

/** The worker-side app created as number `ordinal` with `entry`, if the module created it. */
export function workerAppAt(entry: string, ordinal: number): WorkerSideApp | undefined {
  return appsByEntry.get(entry)?.[ordinal];
}
