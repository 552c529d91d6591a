import { timeoutsBeforeReplace, WorkerPool, type WorkerPoolEvent } from '@bbws/transport';
import type { Config } from '../config/config-schema.js';
import { TS_FILE, tsTransformPort } from './ts-transform-service.js';
import type { PoolWorkerData } from './worker-mode.js';

/**
 * The worker script every pool worker of an app runs. A worker's script must be JavaScript;
 * when core itself runs from its `.ts` sources (this repository's tests), that is the built
 * one in bbwebservice's `dist/bundle/` (beside the graph an app's `@bbws/core` import loads in
 * the worker), which loads the app's `.ts` module through its hooks. Built, this module is part
 * of bbwebservice's dist/bundle/packages.js, beside worker-main.js (scripts/bundle.mjs).
 */
const WORKER_SCRIPT = import.meta.url.endsWith('.ts')
  ? new URL('../../../bbwebservice/dist/bundle/worker-main.js', import.meta.url)
  : new URL('./worker-main.js', import.meta.url);

/**
 * The app's worker pool as the config describes it: `worker_processes` threads, each running
 * up to `max_threads_per_process` requests, watched with the global `handler_timeout`, replaced
 * after `worker_timeout_threshold` timeouts. @see docs/worker-pool.md
 */
export function createOffloadPool(
  config: Config,
  data: Omit<PoolWorkerData, 'tsPort'>,
  onEvent: (event: WorkerPoolEvent) => void,
): WorkerPool {
  const perWorker = config.max_threads_per_process;
  const handlerMs = Math.round(config.handler_timeout * 1000);
  return new WorkerPool({
    script: WORKER_SCRIPT,
    // Each worker of a .ts module gets its own port to the main thread's compiler.
    workerStart: () => {
      const tsPort = TS_FILE.test(new URL(data.module).pathname) ? tsTransformPort(data.module) : null;
      return {
        workerData: { ...data, tsPort } satisfies PoolWorkerData,
        transferList: tsPort === null ? [] : [tsPort],
      };
    },
    size: Math.max(1, config.worker_processes),
    maxJobsPerWorker: Math.max(1, perWorker),
    jobTimeoutMs: handlerMs,
    timeoutsBeforeReplace: timeoutsBeforeReplace(config.worker_timeout_threshold, Math.max(1, perWorker)),
    onEvent,
  });
}
