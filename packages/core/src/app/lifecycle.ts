import { type BoundAddress, HttpServer, type RequestHandler, type WorkerPool } from '@bbws/transport';
import { ignoredInAdapterMode } from '../adapter/adapter-ignored-keys.js';
import { joinPrimary } from '../cluster/cluster-child.js';
import { ClusterPrimary } from '../cluster/cluster-primary.js';
import { clusterChildIndex, isClusterPrimary } from '../cluster/process-role.js';
import type { Config, ConfigInput } from '../config/config-schema.js';
import { type ResolvedConfig, resolveConfig } from '../config/resolve-config.js';
import { CoreError } from '../errors.js';
import type { Readiness } from '../health/health-endpoints.js';
import { LogHub } from '../logging/log-hub.js';
import { createOffloadPool } from '../offload/offload-pool.js';
import { moduleUrlOf, poolWorkerData, type WorkerModuleOptions } from '../offload/worker-mode.js';
import { TaskRunner } from '../tasks/task-runner.js';
import type { PipelineDeps } from './pipeline.js';
import { transportOptionsFromConfig } from './transport-options.js';

type AppState = 'created' | 'started' | 'stopped';

const DEFAULT_TIMEOUT_COUNTS = Object.freeze({
  'timeouts.header': 0,
  'timeouts.body': 0,
  'timeouts.handler': 0,
  'timeouts.send': 0,
  'timeouts.slot': 0,
});

/** What the lifecycle is built from: the app's options and what it reads of the plan. */
export interface LifecycleOptions {
  readonly config: ConfigInput | string | undefined;
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
  readonly logger: LogHub | undefined;
  readonly worker: WorkerModuleOptions | undefined;
  /** The transport's entry point (the pipeline). */
  readonly handle: RequestHandler;
  /** `Controller.method` of every route and of the offloaded ones, read after compile. */
  readonly routes: () => { readonly all: readonly string[]; readonly offloaded: readonly string[] };
  /** The route table, logged at debug when the app starts. */
  readonly listRoutes: () => ReadonlyArray<{ readonly method: string; readonly selector: string }>;
  /** Told once which hub the app logs to, before any request reaches the pipeline. */
  readonly onLogger: (hub: LogHub) => void;
}

/**
 * What an app holds between start and stop: the config, the log hub, the transport, the worker
 * pool, the background tasks and the signal handlers; and the order they start and stop in.
 */
export class Lifecycle {
  readonly #options: LifecycleOptions;
  #resolved: ResolvedConfig | null = null;
  #logger: LogHub | null;
  /** Whether `onLogger` may be called: not before the app has built its pipeline. */
  #mayAnnounceLogger = false;
  #isLoggerAnnounced = false;
  readonly #ownsLogger: boolean;
  readonly tasks = new TaskRunner(
    (task, error) => this.logError(`task ${task.name} failed`, error),
    (task, durationMs, failed) =>
      this.logger.log(
        () => ({
          msg: `task ${task.name} ${failed ? 'failed after' : 'took'} ${durationMs.toFixed(3)} ms`,
          task: task.name,
          durationMs,
        }),
        'time',
      ),
  );
  #server: HttpServer | null = null;
  #state: AppState = 'created';
  #addresses: BoundAddress[] = [];
  #pool: WorkerPool | null = null;
  readonly #worker: { readonly module: string; readonly export: string } | null;
  readonly isPoolWorker = poolWorkerData() !== null;
  #signalHandler: ((signal: NodeJS.Signals) => void) | null = null;
  /** The one stop in progress or done: every stop() caller waits for the same one. */
  #stopping: Promise<void> | null = null;
  /** The one init() (adapter runtime) in progress or done. */
  #initializing: Promise<void> | null = null;
  #readiness: Readiness = 'starting';
  /** With `processes` > 1, in the primary: the children it runs. */
  #primary: ClusterPrimary | null = null;
  /** This process's index among the cluster's children; `null` outside a cluster child. */
  readonly #childIndex = clusterChildIndex();
  /** Whether a signal handler of ours owns the process (it exits when the stop is done). */
  #ownsProcess = false;

  constructor(options: LifecycleOptions) {
    this.#options = options;
    this.#logger = options.logger ?? null;
    this.#ownsLogger = options.logger === undefined;
    const worker = options.worker;
    this.#worker =
      worker === undefined
        ? null
        : { module: moduleUrlOf(worker.module), export: worker.export ?? 'default' };
    const workerData = poolWorkerData();
    if (workerData !== null) {
      // The main thread's config, so both threads agree and the worker reads no file.
      this.#resolved = resolveConfig({ object: workerData.config, env: {} });
    }
  }

  /** What `/readyz` answers: `ready` between a finished start and the beginning of a stop. */
  get readiness(): Readiness {
    return this.#readiness;
  }

  /**
   * Which copy of the app this process is: 1 to `processes` in a cluster child, and 1 when the
   * app runs as one process; 0 in the cluster primary, which serves nothing.
   */
  get processIndex(): number {
    if (this.#childIndex !== null) return this.#childIndex;
    return this.isPrimaryOfCluster ? 0 : 1;
  }

  /**
   * Whether this process is the cluster primary of the app: `processes` > 1 in socket mode,
   * and not itself a cluster child or a pool worker. The primary forks the children at
   * `start()` and never builds the app's routes.
   */
  get isPrimaryOfCluster(): boolean {
    return (
      !this.isPoolWorker &&
      this.config.runtime_mode === 'socket' &&
      this.#childIndex === null &&
      isClusterPrimary(this.config.processes)
    );
  }

  /** Index and pid of the children (in the cluster primary, after start); empty elsewhere. */
  get children(): ReadonlyArray<{ readonly index: number; readonly pid: number; readonly isReady: boolean }> {
    return this.#primary?.children() ?? [];
  }

  get hasWorkerModule(): boolean {
    return this.#worker !== null;
  }

  get resolved(): ResolvedConfig {
    if (this.#resolved === null) {
      const source = this.#options.config;
      const env = this.#options.env === undefined ? {} : { env: this.#options.env };
      this.#resolved =
        source === undefined
          ? resolveConfig(env)
          : typeof source === 'string'
            ? resolveConfig({ file: source, ...env })
            : resolveConfig({ object: source, ...env });
    }
    return this.#resolved;
  }

  get config(): Config {
    return this.resolved.config;
  }

  get logger(): LogHub {
    this.#logger ??= LogHub.fromConfig(this.config.log, { devMode: this.config.dev_mode });
    if (!this.#isLoggerAnnounced && this.#mayAnnounceLogger) {
      this.#isLoggerAnnounced = true;
      this.#options.onLogger(this.#logger);
    }
    return this.#logger;
  }

  /**
   * From now on the hub is announced (`onLogger`) when first used, and now if it exists (a
   * controller that injects the hub creates it while the app compiles).
   */
  announceLogger(): void {
    this.#mayAnnounceLogger = true;
    if (this.#logger !== null) void this.logger;
  }

  get addresses(): ReadonlyArray<{ ip: string; port: number }> {
    return this.#addresses;
  }

  get server(): HttpServer {
    if (this.#server === null) {
      // The hub first: the pipeline learns its switches before the first request.
      const logger = this.logger;
      this.#server = new HttpServer(
        transportOptionsFromConfig(
          this.config,
          this.#options.handle,
          (level, message) => logger.log(message, level === 'warn' ? 'warning' : level),
          (event) =>
            logger.log(
              () => ({
                msg: `timeout (${event.kind}): ${event.reason}${event.status === null ? '' : `, answered ${event.status}`}`,
                kind: event.kind,
                status: event.status,
                remoteAddress: event.remoteAddress,
              }),
              'timeout',
              event.endpoint,
            ),
        ),
      );
    }
    return this.#server;
  }

  get poolSize(): number {
    return this.#pool?.size ?? 0;
  }

  /** What the request pipeline reads from the lifecycle, each part when it needs it. */
  pipelineDeps(): PipelineDeps {
    return {
      logger: () => this.logger,
      compressionConfig: () => this.config.compression,
      isDevMode: () => this.config.dev_mode,
      timeoutCounts: () => this.timeoutCounts(),
      trustProxy: () => this.config,
      healthConfig: () => this.config.health,
      readiness: () => this.#readiness,
    };
  }

  timeoutCounts(): Readonly<Record<string, number>> {
    const server = this.#server as (HttpServer & { timeoutCounts?: () => Record<string, number> }) | null;
    return server?.timeoutCounts?.() ?? DEFAULT_TIMEOUT_COUNTS;
  }

  /** The pool, created on the first offloaded request or at start. */
  pool(): WorkerPool {
    if (this.#pool === null) {
      const worker = this.#worker as { readonly module: string; readonly export: string };
      this.#pool = createOffloadPool(
        this.config,
        {
          bbwsPoolWorker: true,
          module: worker.module,
          export: worker.export,
          config: this.config,
          routes: this.#options.routes().all,
        },
        (event) => this.logger.log(`worker ${event.threadId} ${event.kind}: ${event.detail}`, 'warning'),
      );
    }
    return this.#pool;
  }

  async start(handleSignals: boolean): Promise<void> {
    if (this.#state !== 'created') {
      throw new CoreError('BBWS_ERR_APP_STATE', `app.start() called when the app is ${this.#state}`);
    }
    if (this.isPoolWorker) {
      // An app built in a pool worker serves the parent port, not sockets.
      this.#state = 'started';
      return;
    }
    const mode = this.config.runtime_mode;
    if (mode !== 'socket') {
      throw new CoreError(
        'BBWS_ERR_APP_STATE',
        `runtime_mode=${mode} disables app.start(); serve app.handle through an adapter instead, and call app.init() to start tasks and the worker pool`,
      );
    }
    for (const warning of this.resolved.warnings) this.logger.log(warning, 'warning');
    if (this.isPrimaryOfCluster) {
      await this.#startPrimary(handleSignals);
      return;
    }
    this.logger.log(
      () =>
        `routes:\n${this.#options
          .listRoutes()
          .map((route) => `  ${route.method.padEnd(7)} ${route.selector}`)
          .join('\n')}`,
      'debug',
    );
    await this.#startPool();
    this.#state = 'started';
    let bound: readonly BoundAddress[];
    try {
      bound = await this.server.listen();
      this.#addresses = [...bound];
    } catch (error) {
      // Nothing may stay up: listeners bound before the failure, the pool, the owned log hub.
      await this.stop();
      throw error;
    }
    for (const address of bound) {
      const host = address.ip.includes(':') ? `[${address.ip}]` : address.ip;
      this.logger.log(`listening on ${address.isTls ? 'https' : 'http'}://${host}:${address.port}`, 'info');
    }
    // Tasks run once per app: in process 1 of a cluster (or the one process), unless marked.
    this.tasks.start(this.processIndex === 1);
    if (handleSignals) this.#installSignalHandlers();
    if (this.#childIndex !== null)
      joinPrimary(
        this.#addresses,
        () => this.stop(),
        (error) => this.logError('stop asked by the cluster primary failed', error),
      );
    if (this.#state === 'started') this.#readiness = 'ready';
  }

  /** The cluster primary's start: fork the children, wait until every one is listening. */
  async #startPrimary(handleSignals: boolean): Promise<void> {
    const count = this.config.processes;
    const primary = new ClusterPrimary({
      count,
      // A child's own stop is bounded (drain delay, then the transport's 10 s); a margin on top.
      stopDeadlineMs: Math.round(this.config.drain_delay * 1000) + 15_000,
      log: (level, message) => this.logger.log(message, level),
      onFatal: (error) => {
        this.logError('the cluster primary gives up', error);
        void this.stop().finally(() => {
          process.exitCode = 1;
          if (this.#ownsProcess) process.exit(1);
        });
      },
    });
    this.#primary = primary;
    this.#state = 'started';
    if (handleSignals) this.#installSignalHandlers();
    this.logger.log(`cluster primary (pid ${process.pid}): starting ${count} processes`, 'info');
    try {
      this.#addresses = [...(await primary.start())];
    } catch (error) {
      await this.stop();
      throw error;
    }
    for (const address of this.#addresses) {
      const host = address.ip.includes(':') ? `[${address.ip}]` : address.ip;
      this.logger.log(
        `${count} processes listening on ${address.isTls ? 'https' : 'http'}://${host}:${address.port}`,
        'info',
      );
    }
    if (this.#state === 'started') this.#readiness = 'ready';
  }

  init(): Promise<void> {
    this.#initializing ??= this.#init();
    return this.#initializing;
  }

  async #init(): Promise<void> {
    if (this.#state !== 'created' || this.isPoolWorker) {
      throw new CoreError('BBWS_ERR_APP_STATE', `app.init() called when the app is ${this.#state}`);
    }
    if (this.config.runtime_mode !== 'adapter') {
      throw new CoreError(
        'BBWS_ERR_APP_STATE',
        'app.init() is for runtime_mode=adapter; in socket mode app.start() starts the tasks and the listeners',
      );
    }
    this.#state = 'started';
    for (const warning of this.resolved.warnings) this.logger.log(warning, 'warning');
    const ignored = ignoredInAdapterMode(this.config);
    if (ignored.length > 0) {
      this.logger.log(
        `runtime_mode=adapter: adapter mode ignores ${ignored.join(', ')} (the host server owns connections; see docs/adapter-runtime.md)`,
        'warning',
      );
    }
    await this.#startPool();
    if (this.#state === 'started') {
      this.tasks.start();
      this.#readiness = 'ready';
    }
  }

  /** Brings the pool up when some route runs there; a failed start leaves no worker behind. */
  async #startPool(): Promise<void> {
    if (this.#options.routes().offloaded.length === 0) return;
    try {
      await this.pool().ready();
    } catch (error) {
      await this.#pool?.close();
      this.#pool = null;
      throw error;
    }
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const wasStarted = this.#state === 'started' && !this.isPoolWorker;
    const wasListening = wasStarted && this.#server !== null && this.#primary === null;
    this.#state = 'stopped';
    if (wasStarted) {
      // Unready at once; served meanwhile, every answer closing its connection.
      this.#readiness = 'draining';
      this.#server?.drain();
      await this.#drainDelay();
    }
    if (this.#primary !== null) {
      // Each child drains itself (its own delay); the primary waits for every exit.
      await Promise.all([this.tasks.stop(), this.#primary.stop()]);
      this.#removeSignalHandlers();
    } else if (wasListening) {
      await Promise.all([this.tasks.stop(), this.#server?.close()]);
      // Only now: a second signal during the stop still reaches our handler, which exits 130.
      this.#removeSignalHandlers();
    } else {
      await this.tasks.stop();
    }
    // After the listeners: in-flight offloaded requests have answered (or hit the deadline).
    await this.#pool?.close();
    this.#readiness = 'stopped';
    // An app that never listened may still have opened log files (TestClient, adapters).
    if (this.#ownsLogger) await this.#logger?.close();
  }

  /**
   * `drain_delay` seconds between unready and the stop, for load balancers to see the 503 and
   * send no more (the primary waits none: its children do). @see docs/processes.md#draining
   */
  async #drainDelay(): Promise<void> {
    const delayMs = Math.round(this.config.drain_delay * 1000);
    if (delayMs <= 0 || this.#primary !== null) return;
    this.logger.log(`draining: /readyz answers 503, stopping in ${this.config.drain_delay} s`, 'info');
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }

  #installSignalHandlers(): void {
    let isStopping = false;
    this.#ownsProcess = true;
    const handler = (signal: NodeJS.Signals) => {
      if (isStopping) {
        // A second signal: now. The cluster's children go with the primary.
        this.#primary?.killAll();
        process.exit(130);
      }
      isStopping = true;
      this.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          this.logError(`stop after ${signal} failed`, error);
          process.exit(1);
        },
      );
    };
    this.#signalHandler = handler;
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  }

  #removeSignalHandlers(): void {
    const handler = this.#signalHandler;
    if (handler === null) return;
    this.#signalHandler = null;
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  }

  logError(message: string, error: unknown): void {
    this.logger.log(message, 'error', undefined, error);
  }
}
