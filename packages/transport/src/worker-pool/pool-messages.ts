import type { TransferListItem } from 'node:worker_threads';

/** Main thread → worker: run one job. */
export interface JobMessage {
  readonly id: number;
  readonly payload: unknown;
}

/** Worker → main thread: a job's outcome, or (id -1) that the worker is ready for jobs. */
export type WorkerMessage =
  | { readonly kind: 'ready'; readonly id: -1 }
  | { readonly kind: 'done'; readonly id: number; readonly value: unknown }
  | { readonly kind: 'failed'; readonly id: number; readonly error: SerializedError };

/** An error as it crosses the thread boundary. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code: string | undefined;
  readonly stack: string | undefined;
}

/** What a worker-side job function returns: the value, and what to transfer with it (buffers, ports). */
export interface JobResult {
  readonly value: unknown;
  readonly transfer?: readonly TransferListItem[];
}
