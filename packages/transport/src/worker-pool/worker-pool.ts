import type { TransferListItem, Worker } from 'node:worker_threads';
import type { SerializedError, WorkerMessage } from './pool-messages.js';
import { WorkerPoolError } from './worker-pool-error.js';

/**
 * Workers inherit the process's Node options, less `--input-type`: it describes the `-e` string
 * of `node --input-type=module -e ...`, and a worker given it refuses to load its script file.
 */
const WORKER_EXEC_ARGV = process.execArgv.filter(
  (arg, i, all) => !arg.startsWith('--input-type') && all[i - 1] !== '--input-type',
);

/** Options of a {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** The worker script (an ES module file URL or path); it calls `servePoolJobs`. */
  readonly script: URL | string;
  /** Handed to every worker as `workerData`. */
  readonly workerData?: unknown;
  /**
   * Called for each worker started (replacements too), instead of `workerData`, when a worker
   * needs something of its own that is transferred, not copied (a `MessagePort`).
   */
  readonly workerStart?: () => { readonly workerData: unknown; readonly transferList: TransferListItem[] };
  /** Number of worker threads (`worker_processes`), >= 1. */
  readonly size: number;
  /** Jobs one worker runs at once (`max_threads_per_process`), >= 1; more wait in the pool's queue. */
  readonly maxJobsPerWorker: number;
  /** A job not answered after this many ms fails with `BBWS_ERR_POOL_JOB_TIMEOUT`; 0 disables. */
  readonly jobTimeoutMs: number;
  /** Timeouts after which a worker is terminated and replaced (see `timeoutsBeforeReplace`), >= 1. */
  readonly timeoutsBeforeReplace: number;
  /** Told when a worker is replaced or lost (for logs). */
  readonly onEvent?: (event: WorkerPoolEvent) => void;
}

/** Something that happened to a worker of the pool. */
export interface WorkerPoolEvent {
  readonly kind: 'replaced' | 'exited';
  /** The worker's thread id. */
  readonly threadId: number;
  /** Why: the timeout count, or the exit code / error. */
  readonly detail: string;
}

interface Job {
  readonly id: number;
  readonly payload: unknown;
  readonly transfer: readonly ArrayBuffer[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: WorkerPoolError | Error) => void;
  timer: NodeJS.Timeout | null;
  isTimedOut: boolean;
  /** The worker running it; null while queued. */
  worker: PoolWorker | null;
}

/** One worker thread and what it is running. */
class PoolWorker {
  readonly worker: Worker;
  readonly inFlight = new Map<number, Job>();
  timeouts = 0;
  isReady = false;
  isRetired = false;

  constructor(worker: Worker) {
    this.worker = worker;
  }
}

/**
 * A fixed-size pool of `worker_threads` running jobs posted as messages: bounded concurrency
 * per worker, a FIFO queue beyond it, a watchdog per job, and replacement of a worker that
 * keeps timing out (a handler that never yields blocks its whole thread, and only terminating
 * the thread stops it). Jobs of a terminated worker fail; none is left waiting. App-agnostic:
 * what a job means is up to the worker script.
 * @see docs/worker-pool.md
 */
export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #workers = new Set<PoolWorker>();
  readonly #queue: Job[] = [];
  #nextId = 0;
  #isClosed = false;
  #startFailure: WorkerPoolError | null = null;
  readonly #ready: Promise<void>;
  #settleReady: ((error?: WorkerPoolError) => void) | null = null;

  /** @throws WorkerPoolError `BBWS_ERR_POOL_OPTIONS` for a size, concurrency or threshold below 1 */
  constructor(options: WorkerPoolOptions) {
    for (const key of ['size', 'maxJobsPerWorker', 'timeoutsBeforeReplace'] as const) {
      const value = options[key];
      if (!Number.isInteger(value) || value < 1) {
        throw new WorkerPoolError(
          'BBWS_ERR_POOL_OPTIONS',
          `WorkerPool: ${key} must be a whole number >= 1, got ${value}`,
        );
      }
    }
    this.#options = options;
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#settleReady = (error) => (error === undefined ? resolve() : reject(error));
    });
    // Nobody may await ready(); a start failure still surfaces through the jobs it fails.
    this.#ready.catch(() => undefined);
    for (let i = 0; i < options.size; i++) this.#spawn();
  }

  /** Live worker threads (not yet terminated). */
  get size(): number {
    return this.#workers.size;
  }

  /** Jobs waiting for a free worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Resolves when every first-generation worker reported ready.
   * @throws WorkerPoolError `BBWS_ERR_POOL_WORKER_START` when a worker failed to load
   */
  ready(): Promise<void> {
    return this.#ready;
  }

  /**
   * Runs one job in some worker and resolves with what the worker's job function returned.
   * `transfer` lists ArrayBuffers moved (not copied) to the worker.
   * @throws WorkerPoolError `BBWS_ERR_POOL_JOB_TIMEOUT`, `BBWS_ERR_POOL_WORKER_LOST`,
   * `BBWS_ERR_POOL_WORKER_START`, `BBWS_ERR_POOL_CLOSED`; or the error the job threw
   */
  run(payload: unknown, transfer: readonly ArrayBuffer[] = []): Promise<unknown> {
    if (this.#isClosed) {
      return Promise.reject(new WorkerPoolError('BBWS_ERR_POOL_CLOSED', 'WorkerPool: run() after close()'));
    }
    if (this.#startFailure !== null) return Promise.reject(this.#startFailure);
    return new Promise((resolve, reject) => {
      const job: Job = {
        id: this.#nextId++,
        payload,
        transfer,
        resolve,
        reject,
        timer: null,
        isTimedOut: false,
        worker: null,
      };
      // The deadline counts from submission, as the caller's does: time in the queue is part of it.
      const timeoutMs = this.#options.jobTimeoutMs;
      if (timeoutMs > 0) {
        job.timer = setTimeout(() => this.#onTimeout(job), timeoutMs);
        job.timer.unref();
      }
      this.#queue.push(job);
      this.#pump();
    });
  }

  /**
   * Terminates every worker. Queued jobs and jobs still running fail with `BBWS_ERR_POOL_CLOSED`
   * (callers stop accepting requests first, so in-flight work has had its chance).
   */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    const closed = new WorkerPoolError('BBWS_ERR_POOL_CLOSED', 'WorkerPool: closed');
    for (const job of this.#queue.splice(0)) {
      if (job.timer !== null) clearTimeout(job.timer);
      job.reject(closed);
    }
    const exits: Promise<number>[] = [];
    for (const entry of this.#workers) {
      entry.isRetired = true;
      this.#failInFlight(entry, closed);
      exits.push(entry.worker.terminate());
    }
    this.#workers.clear();
    this.#settleReady?.(closed);
    await Promise.all(exits);
  }

  #spawn(): void {
    const start = this.#options.workerStart?.() ?? { workerData: this.#options.workerData, transferList: [] };
    // Loaded with the first worker: an app without a pool never loads node:worker_threads.
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    const worker = new Worker(this.#options.script, { ...start, execArgv: WORKER_EXEC_ARGV });
    const entry = new PoolWorker(worker);
    this.#workers.add(entry);
    worker.on('message', (message: WorkerMessage) => this.#onMessage(entry, message));
    worker.on('error', (error: Error) => this.#onLost(entry, error.stack ?? String(error), error));
    worker.on('exit', (code: number) => this.#onLost(entry, `exit code ${code}`, null));
  }

  #onMessage(entry: PoolWorker, message: WorkerMessage): void {
    if (message.kind === 'ready') {
      entry.isReady = true;
      if ([...this.#workers].every((w) => w.isReady)) {
        this.#settleReady?.();
        this.#settleReady = null;
      }
      this.#pump();
      return;
    }
    const job = entry.inFlight.get(message.id);
    if (job === undefined) return;
    entry.inFlight.delete(message.id);
    if (job.timer !== null) clearTimeout(job.timer);
    // A late answer to a timed-out job is dropped: its caller already answered 504.
    if (!job.isTimedOut) {
      if (message.kind === 'done') job.resolve(message.value);
      else job.reject(deserializeError(message.error));
    }
    this.#pump();
  }

  /** A worker died (crash, `process.exit` in the worker, or our own terminate). */
  #onLost(entry: PoolWorker, detail: string, error: Error | null): void {
    if (!this.#workers.delete(entry)) return;
    this.#failInFlight(
      entry,
      new WorkerPoolError(
        'BBWS_ERR_POOL_WORKER_LOST',
        `WorkerPool: worker ${entry.worker.threadId} is gone (${detail})`,
      ),
    );
    if (this.#isClosed) return;
    if (!entry.isReady && !entry.isRetired) {
      // It never loaded: starting another would fail the same way, in a loop.
      const failure = new WorkerPoolError(
        'BBWS_ERR_POOL_WORKER_START',
        `WorkerPool: a worker failed while loading ${String(this.#options.script)}: ${describeFailure(error, detail)}`,
        { cause: error ?? undefined },
      );
      this.#startFailure ??= failure;
      for (const job of this.#queue.splice(0)) {
        if (job.timer !== null) clearTimeout(job.timer);
        job.reject(failure);
      }
      this.#settleReady?.(failure);
      this.#settleReady = null;
      return;
    }
    this.#options.onEvent?.({ kind: 'exited', threadId: entry.worker.threadId, detail });
    if (!entry.isRetired) this.#spawn();
  }

  #failInFlight(entry: PoolWorker, error: WorkerPoolError): void {
    for (const job of entry.inFlight.values()) {
      if (job.timer !== null) clearTimeout(job.timer);
      if (!job.isTimedOut) job.reject(error);
    }
    entry.inFlight.clear();
  }

  /** Hands queued jobs to the least busy ready workers. */
  #pump(): void {
    const max = this.#options.maxJobsPerWorker;
    while (this.#queue.length > 0) {
      let best: PoolWorker | null = null;
      for (const entry of this.#workers) {
        if (!entry.isReady || entry.isRetired || entry.inFlight.size >= max) continue;
        if (best === null || entry.inFlight.size < best.inFlight.size) best = entry;
      }
      if (best === null) return;
      this.#post(best, this.#queue.shift() as Job);
    }
  }

  #post(entry: PoolWorker, job: Job): void {
    entry.inFlight.set(job.id, job);
    job.worker = entry;
    try {
      entry.worker.postMessage({ id: job.id, payload: job.payload }, job.transfer as ArrayBuffer[]);
    } catch (error) {
      // Payload not cloneable: the job's fault, not the worker's.
      entry.inFlight.delete(job.id);
      if (job.timer !== null) clearTimeout(job.timer);
      job.reject(error as Error);
    }
  }

  /**
   * The watchdog: fail the job now. A queued job just leaves the queue; a running one keeps
   * its worker's slot until it answers or the worker is replaced, and counts against the worker.
   */
  #onTimeout(job: Job): void {
    job.timer = null;
    job.isTimedOut = true;
    const entry = job.worker;
    const where = entry === null ? 'waiting in the queue' : `in worker ${entry.worker.threadId}`;
    job.reject(
      new WorkerPoolError(
        'BBWS_ERR_POOL_JOB_TIMEOUT',
        `WorkerPool: job not answered within ${this.#options.jobTimeoutMs} ms (${where})`,
      ),
    );
    if (entry === null) {
      const index = this.#queue.indexOf(job);
      if (index !== -1) this.#queue.splice(index, 1);
      return;
    }
    entry.timeouts++;
    if (entry.timeouts >= this.#options.timeoutsBeforeReplace && !entry.isRetired) this.#replace(entry);
  }

  #replace(entry: PoolWorker): void {
    entry.isRetired = true;
    this.#workers.delete(entry);
    this.#options.onEvent?.({
      kind: 'replaced',
      threadId: entry.worker.threadId,
      detail: `${entry.timeouts} job timeouts`,
    });
    this.#failInFlight(
      entry,
      new WorkerPoolError(
        'BBWS_ERR_POOL_WORKER_LOST',
        `WorkerPool: worker ${entry.worker.threadId} replaced after ${entry.timeouts} job timeouts`,
      ),
    );
    void entry.worker.terminate();
    if (!this.#isClosed) this.#spawn();
  }
}

/** The worker's error with its code (`BBWS_ERR_...`) when it has one; the exit detail otherwise. */
function describeFailure(error: Error | null, detail: string): string {
  if (error === null) return detail;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}

function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  error.name = serialized.name;
  if (serialized.code !== undefined) (error as Error & { code?: string }).code = serialized.code;
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}
