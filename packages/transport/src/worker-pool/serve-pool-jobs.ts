import type { TransferListItem } from 'node:worker_threads';
import type { JobMessage, JobResult, SerializedError, WorkerMessage } from './pool-messages.js';
import { WorkerPoolError } from './worker-pool-error.js';

/** Runs one job inside a worker; may return a promise. */
export type JobRunner = (payload: unknown) => JobResult | Promise<JobResult>;

/**
 * The worker side of a {@link WorkerPool}: answers every job posted to this thread with
 * `run`, concurrently (the pool bounds how many are in flight), and tells the pool it is ready.
 * Call it once, from the worker script, after the worker has loaded what it needs.
 * @throws WorkerPoolError `BBWS_ERR_POOL_WORKER_START` when not called inside a worker thread
 * @see docs/worker-pool.md
 */
export function servePoolJobs(run: JobRunner): void {
  const port = process.getBuiltinModule('node:worker_threads').parentPort;
  if (port === null) {
    throw new WorkerPoolError('BBWS_ERR_POOL_WORKER_START', 'servePoolJobs() called outside a worker thread');
  }
  port.on('message', (message: JobMessage) => {
    const id = message.id;
    let outcome: JobResult | Promise<JobResult>;
    try {
      outcome = run(message.payload);
    } catch (error) {
      port.postMessage({ kind: 'failed', id, error: serializeError(error) } satisfies WorkerMessage);
      return;
    }
    Promise.resolve(outcome).then(
      (result) =>
        port.postMessage(
          { kind: 'done', id, value: result.value } satisfies WorkerMessage,
          (result.transfer ?? []) as TransferListItem[],
        ),
      (error: unknown) =>
        port.postMessage({ kind: 'failed', id, error: serializeError(error) } satisfies WorkerMessage),
    );
  });
  port.postMessage({ kind: 'ready', id: -1 } satisfies WorkerMessage);
}

function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      code: typeof code === 'string' ? code : undefined,
      stack: error.stack,
    };
  }
  return { name: 'Error', message: String(error), code: undefined, stack: undefined };
}
