/** One background task. */
export interface TaskSpec {
  /** `Class.method` or the function name, for logs. */
  readonly name: string;
  readonly intervalMs: number;
  readonly runOnStart: boolean;
  /**
   * With `processes` > 1: run in every process, not only in process 1 (default false).
   * @see docs/processes.md#tasks
   */
  readonly everyProcess?: boolean;
  readonly run: () => unknown;
}

/**
 * Runs tasks every `intervalMs` while started. A run never overlaps the previous one: the next
 * timer is set when a run settles. `stop()` clears the timers and waits for running tasks.
 * @see docs/controllers.md
 */
export class TaskRunner {
  readonly #tasks: TaskSpec[] = [];
  readonly #timers = new Map<TaskSpec, NodeJS.Timeout>();
  readonly #running = new Set<Promise<void>>();
  readonly #onError: (task: TaskSpec, error: unknown) => void;
  readonly #onRun: ((task: TaskSpec, durationMs: number, failed: boolean) => void) | undefined;
  #isStarted = false;
  /** Whether this process runs every task, or only those marked `everyProcess`. */
  #isTaskProcess = true;

  /**
   * @param onError told of a run that threw or rejected
   * @param onRun told of every settled run, with its duration (for the `time` log level)
   */
  constructor(
    onError: (task: TaskSpec, error: unknown) => void,
    onRun?: (task: TaskSpec, durationMs: number, failed: boolean) => void,
  ) {
    this.#onError = onError;
    this.#onRun = onRun;
  }

  add(task: TaskSpec): void {
    this.#tasks.push(task);
    if (this.#isStarted && this.#runsHere(task)) this.#schedule(task, task.runOnStart ? 0 : task.intervalMs);
  }

  get size(): number {
    return this.#tasks.length;
  }

  /**
   * Schedules the tasks. `isTaskProcess` false (a cluster child other than process 1) runs
   * only the tasks marked `everyProcess`, so a task runs once per app, not once per process.
   */
  start(isTaskProcess = true): void {
    if (this.#isStarted) return;
    this.#isStarted = true;
    this.#isTaskProcess = isTaskProcess;
    for (const task of this.#tasks) {
      if (this.#runsHere(task)) this.#schedule(task, task.runOnStart ? 0 : task.intervalMs);
    }
  }

  /** The names of the tasks this process runs (after start). */
  get scheduledNames(): readonly string[] {
    return this.#isStarted ? this.#tasks.filter((task) => this.#runsHere(task)).map((task) => task.name) : [];
  }

  #runsHere(task: TaskSpec): boolean {
    return this.#isTaskProcess || task.everyProcess === true;
  }

  async stop(): Promise<void> {
    this.#isStarted = false;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await Promise.all(this.#running);
  }

  #schedule(task: TaskSpec, delayMs: number): void {
    const timer = setTimeout(() => this.#runOnce(task), delayMs);
    // Tasks alone do not keep the process alive; the listeners do.
    timer.unref();
    this.#timers.set(task, timer);
  }

  #runOnce(task: TaskSpec): void {
    this.#timers.delete(task);
    const run = (async () => {
      const startedAt = performance.now();
      let failed = false;
      try {
        await task.run();
      } catch (error) {
        failed = true;
        this.#onError(task, error);
      }
      this.#onRun?.(task, performance.now() - startedAt, failed);
    })();
    this.#running.add(run);
    void run.then(() => {
      this.#running.delete(run);
      if (this.#isStarted) this.#schedule(task, task.intervalMs);
    });
  }
}
