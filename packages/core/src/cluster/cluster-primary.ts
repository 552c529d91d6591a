import cluster, { type Worker } from 'node:cluster';
import type { BoundAddress } from '@bbws/transport';
import { PROCESS_INDEX_ENV } from '../config/env-overrides.js';
import { CoreError } from '../errors.js';
import { isBbwsMessage, type ReadyMessage, type StopMessage } from './cluster-messages.js';
import { RestartPolicy } from './restart-policy.js';

/** Options of {@link ClusterPrimary}. */
export interface ClusterPrimaryOptions {
  /** How many children to run (`processes`). */
  readonly count: number;
  /** How long a child may take to drain and exit after it was asked to; then it is killed. */
  readonly stopDeadlineMs: number;
  readonly log: (level: 'info' | 'warning' | 'error', message: string) => void;
  /** The primary gave up (a crash loop): the lifecycle stops the rest and exits 1. */
  readonly onFatal: (error: CoreError) => void;
}

/** One child place: its index stays, the process in it changes on a restart. */
interface ChildSlot {
  readonly index: number;
  worker: Worker | null;
  isReady: boolean;
  readonly policy: RestartPolicy;
  restartTimer: NodeJS.Timeout | null;
}

const STOP: StopMessage = Object.freeze({ bbws: 'stop' });

/**
 * The cluster primary: forks `count` copies of the main module (node:cluster re-runs it with
 * the same arguments and exec flags), each told its index; holds the listening sockets and
 * hands each accepted connection to the next child in turn (node:cluster's round-robin);
 * restarts a child that dies, with backoff, and gives up on a crash loop; asks every child to
 * drain on stop and resolves when all have exited. It never builds the app's routes.
 * @see docs/processes.md
 */
export class ClusterPrimary {
  readonly #options: ClusterPrimaryOptions;
  readonly #slots: ChildSlot[] = [];
  #addresses: BoundAddress[] = [];
  #isStopping = false;
  #stopping: Promise<void> | null = null;
  /** Settles start(): resolved when every child is ready, rejected when one dies first. */
  #starting: { resolve: () => void; reject: (error: Error) => void } | null = null;
  #onAllExited: (() => void) | null = null;

  constructor(options: ClusterPrimaryOptions) {
    this.#options = options;
  }

  /** The addresses the children bound (the first ready child's report; all bind the same). */
  get addresses(): readonly BoundAddress[] {
    return this.#addresses;
  }

  /** Index and pid of every child running now. */
  children(): Array<{ readonly index: number; readonly pid: number; readonly isReady: boolean }> {
    const out: Array<{ index: number; pid: number; isReady: boolean }> = [];
    for (const slot of this.#slots) {
      const pid = slot.worker?.process.pid;
      if (pid !== undefined) out.push({ index: slot.index, pid, isReady: slot.isReady });
    }
    return out;
  }

  /**
   * Forks every child; resolves with the bound addresses when all report ready.
   * @throws CoreError `BBWS_ERR_CLUSTER_CHILD_START` when a child exits before it is ready
   *   (the others are stopped): the child's own error is in its log, above
   */
  async start(): Promise<readonly BoundAddress[]> {
    // Node's default on Linux, said here so Windows (whose default is the shared handle) does
    // the same: the primary accepts and deals connections out in turn, evenly.
    cluster.schedulingPolicy = cluster.SCHED_RR;
    const started = new Promise<void>((resolve, reject) => {
      this.#starting = { resolve, reject };
    });
    for (let index = 1; index <= this.#options.count; index++) {
      const slot: ChildSlot = {
        index,
        worker: null,
        isReady: false,
        policy: new RestartPolicy(),
        restartTimer: null,
      };
      this.#slots.push(slot);
      this.#fork(slot);
    }
    try {
      await started;
    } catch (error) {
      await this.stop();
      throw error;
    }
    return this.#addresses;
  }

  /** Asks every child to drain and exit; resolves when all have (killing those past the deadline). */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  /** Kills every child at once (a second signal). */
  killAll(): void {
    for (const slot of this.#slots) slot.worker?.process.kill('SIGKILL');
  }

  async #stop(): Promise<void> {
    this.#isStopping = true;
    // Stopped while the children start (a signal, app.stop()): start() must not wait forever.
    this.#starting?.reject(
      new CoreError('BBWS_ERR_APP_STATE', 'the app was stopped while its processes were starting'),
    );
    this.#starting = null;
    for (const slot of this.#slots) {
      if (slot.restartTimer !== null) clearTimeout(slot.restartTimer);
      slot.restartTimer = null;
      const worker = slot.worker;
      if (worker === null) continue;
      // A child still starting has no handler for the message yet, and nothing to drain.
      if (slot.isReady && worker.isConnected()) worker.send(STOP);
      else worker.process.kill('SIGKILL');
    }
    if (this.#liveCount() > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#onAllExited = resolve;
        timer = setTimeout(() => {
          const late = this.children();
          if (late.length === 0) return;
          this.#options.log(
            'warning',
            `process ${late.map((c) => `${c.index} (pid ${c.pid})`).join(', ')} still running ${this.#options.stopDeadlineMs} ms after stop: killed`,
          );
          this.killAll();
        }, this.#options.stopDeadlineMs);
      });
      clearTimeout(timer);
      this.#onAllExited = null;
    }
  }

  #liveCount(): number {
    let live = 0;
    for (const slot of this.#slots) if (slot.worker !== null) live++;
    return live;
  }

  #fork(slot: ChildSlot): void {
    slot.isReady = false;
    const worker = cluster.fork({ [PROCESS_INDEX_ENV]: String(slot.index) });
    slot.worker = worker;
    worker.on('message', (message: unknown) => {
      if (!isBbwsMessage(message) || message.bbws !== 'ready') return;
      slot.isReady = true;
      if (this.#addresses.length === 0) this.#addresses = [...(message as ReadyMessage).addresses];
      this.#options.log('info', `process ${slot.index} (pid ${worker.process.pid}) ready`);
      if (this.#isStopping) worker.send(STOP);
      else if (this.#starting !== null && this.#slots.every((s) => s.isReady)) {
        this.#starting.resolve();
        this.#starting = null;
      }
    });
    worker.on('exit', (code, signal) => this.#onExit(slot, worker, code, signal));
  }

  #onExit(slot: ChildSlot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    const wasReady = slot.isReady;
    slot.worker = null;
    slot.isReady = false;
    const how = signal === null ? `with code ${code}` : `by ${signal}`;
    const who = `process ${slot.index} (pid ${worker.process.pid})`;
    if (this.#isStopping) {
      this.#options.log(code === 0 ? 'info' : 'warning', `${who} exited ${how}`);
      if (this.#liveCount() === 0) this.#onAllExited?.();
      return;
    }
    if (this.#starting !== null && !wasReady) {
      this.#starting.reject(
        new CoreError(
          'BBWS_ERR_CLUSTER_CHILD_START',
          `${who} exited ${how} before its listeners were bound; its own error is logged above. No process is left running.`,
        ),
      );
      this.#starting = null;
      return;
    }
    const delayMs = slot.policy.onDeath(Date.now());
    if (delayMs === null) {
      this.#options.onFatal(
        new CoreError(
          'BBWS_ERR_CLUSTER_CRASH_LOOP',
          `${who} exited ${how}: ${slot.policy.recentDeaths(Date.now())} deaths of process ${slot.index} within a minute, so it is not restarted again; the primary stops every process and exits 1. Its own error is logged above.`,
        ),
      );
      return;
    }
    this.#options.log('warning', `${who} exited ${how}; restarting it in ${delayMs} ms`);
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = null;
      if (!this.#isStopping) this.#fork(slot);
    }, delayMs);
  }
}
