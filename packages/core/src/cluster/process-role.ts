import cluster from 'node:cluster';
import { PROCESS_INDEX_ENV } from '../config/env-overrides.js';

/**
 * This process's index among the copies the cluster primary runs (1 to `processes`), read
 * from the variable the primary sets in each child; `null` outside a cluster child. A restarted
 * child gets the index of the one it replaces, so "process 1" is always one process.
 */
export function clusterChildIndex(): number | null {
  if (!cluster.isWorker) return null;
  const index = Number(process.env[PROCESS_INDEX_ENV]);
  return Number.isInteger(index) && index >= 1 ? index : null;
}

/** Whether this process would be the cluster primary of an app with `processes` copies. */
export function isClusterPrimary(processes: number): boolean {
  return processes > 1 && cluster.isPrimary;
}
