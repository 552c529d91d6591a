import { timeoutsBeforeReplace, WorkerPool, type WorkerPoolEvent } from '@bbws/transport';
import type { Config } from '../config/config-schema.js';
import type { PoolWorkerData } from './worker-mode.js';

/** The worker script every pool worker of an app runs. */
const WORKER_SCRIPT = new URL('./worker-main.js', import.meta.url);

/**
 * The app's worker pool as the config describes it: `worker_processes` threads, each running
 * up to `max_threads_per_process` requests, watched with the global `handler_timeout`, replaced
 * after `worker_timeout_threshold` timeouts. @see docs/worker-pool.md
 */
export function createOffloadPool(
  config: Config,
  data: PoolWorkerData,
  onEvent: (event: WorkerPoolEvent) => void,
): WorkerPool {
  const perWorker = config.max_threads_per_process;
  const handlerMs = Math.round(config.handler_timeout * 1000);
  return new WorkerPool({
    script: WORKER_SCRIPT,
    workerData: data,
    size: Math.max(1, config.worker_processes),
    maxJobsPerWorker: Math.max(1, perWorker),
    jobTimeoutMs: handlerMs,
    timeoutsBeforeReplace: timeoutsBeforeReplace(config.worker_timeout_threshold, Math.max(1, perWorker)),
    onEvent,
  });
}
