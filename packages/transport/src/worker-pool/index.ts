export type { JobResult } from './pool-messages.js';
export { type JobRunner, servePoolJobs } from './serve-pool-jobs.js';
export { timeoutsBeforeReplace } from './timeout-threshold.js';
export { WorkerPool, type WorkerPoolEvent, type WorkerPoolOptions } from './worker-pool.js';
export { WorkerPoolError, type WorkerPoolErrorCode } from './worker-pool-error.js';
