/**
 * How many handler timeouts a worker tolerates before it is replaced (the seed's
 * `worker_timeout_threshold`): a value below 1 is a ratio of the per-worker concurrency, 1 and
 * above a count. The result is at least 1, so a ratio of 0 replaces a worker on its first
 * timeout.
 * @param threshold the configured value (>= 0)
 * @param maxJobsPerWorker the per-worker concurrency (`max_threads_per_process`)
 */
export function timeoutsBeforeReplace(threshold: number, maxJobsPerWorker: number): number {
  const count = threshold < 1 ? Math.ceil(threshold * maxJobsPerWorker) : Math.floor(threshold);
  return Math.max(1, count);
}
