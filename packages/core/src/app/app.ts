import type { CompressionOptions } from '@bbws/responses';
import type { Router } from '@bbws/router';
import type { HttpServer, RequestHandler } from '@bbws/transport';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { Config } from '../config/config-schema.js';
import { Cors, type CorsOptions, type CorsSettings } from '../cors/cors.js';
import type { ControllerClass } from '../decorators/metadata.js';
import { tsyringe } from '../di/tsyringe.js';
import { CoreError } from '../errors.js';
import type { Readiness } from '../health/health-endpoints.js';
import type { LogHub } from '../logging/log-hub.js';
import { registerLogHub } from '../logging/log-token.js';
import { type TaskSchedule, taskIntervalMs } from '../tasks/task-schedule.js';
import { adoptPlan } from './adopt-plan.js';
import type { AppOptions, StartOptions } from './app-options.js';
import { compileApp } from './compile-app.js';
import { Lifecycle } from './lifecycle.js';
import type { ResponseListener } from './observing-sink.js';
import { Pipeline } from './pipeline.js';
import type { BeforeHook, RouteTarget } from './route-plan.js';

export type { AppOptions, ProviderEntry, StartOptions } from './app-options.js';
export { REQUEST_CONTEXT } from './compile-app.js';

/**
 * Injection token of the {@link App} a controller or service belongs to, for `@inject(APP)`
 * where decorator metadata is not emitted; with metadata, a parameter typed `App` is enough.
 * @see docs/dependency-injection.md
 */
export const APP: InjectionToken<App> = Symbol('bbws.App');

/**
 * An application: controllers compiled into a route table, a DI container, error pages,
 * tasks, CORS and metrics, and (after {@link App.start}) listeners. Three parts do the work:
 * the compiled plan (`compile-app.ts`), the request pipeline (`pipeline.ts`) and the
 * lifecycle (`lifecycle.ts`); see docs/architecture.md.
 * @see docs/controllers.md
 */
export class App {
  /** The app's child container: providers and controllers live here. */
  readonly container: DependencyContainer;
  readonly #life: Lifecycle;
  readonly #pipeline: Pipeline;
  readonly #hooks: BeforeHook[] = [];
  #stopping: Promise<void> | null = null;

  /** The transport entry point: routes one request. Bound once, used for every request. */
  readonly handle: RequestHandler = (request, sink) => this.#pipeline.handle(request, sink);

  constructor(options: AppOptions) {
    this.container = (options.container ?? tsyringe.container).createChildContainer();
    this.#life = new Lifecycle({
      config: options.config,
      env: options.env,
      logger: options.logger,
      worker: options.worker,
      handle: this.handle,
      routes: () => ({ all: this.#pipeline.plan.routeNames, offloaded: this.#pipeline.plan.offloadedNames }),
      listRoutes: () => this.router.listRoutes(),
      onLogger: (hub) => this.#pipeline.watchLogger(hub),
    });
    // Before the providers, so a test can still replace the hub (or the app) with its own.
    registerLogHub(this.container, () => this.logger);
    this.container.register(App, { useValue: this });
    this.container.register(APP, { useValue: this });
    for (const [token, provider] of options.providers ?? []) {
      this.container.register(token, provider as never);
    }
    const life = this.#life;
    this.#pipeline = new Pipeline(life.pipelineDeps(), (errors) => {
      const plan = compileApp({
        controllers: options.controllers,
        container: this.container,
        handlerPlacement: life.config.handler_placement,
        isPoolWorker: life.isPoolWorker,
        hooks: this.#hooks,
        errors,
        pool: () => life.pool(),
        maxBodyBytes: () => life.config.max_body_size,
      });
      adoptPlan(plan, this, life, this.#pipeline);
      return plan;
    });
    life.announceLogger();
    // The cluster primary (`processes` > 1) forks the app and serves nothing: it builds no
    // controller unless asked (`app.server`, `app.router`). Everywhere else a broken app fails here.
    if (!life.isPrimaryOfCluster) void this.#pipeline.plan;
  }

  /** The route table, for reading (`router.listRoutes()`); routes are fixed at createApp. */
  get router(): Router<RouteTarget> {
    return this.#pipeline.plan.router;
  }

  /** Live worker threads of the offload pool; 0 when no route is offloaded. @see docs/worker-pool.md */
  get poolSize(): number {
    return this.#life.poolSize;
  }

  /**
   * The validated configuration, read on first access: defaults, then the file (or the object
   * given), then `BBWS_*` variables. @see docs/configuration.md
   * @throws CoreError `BBWS_ERR_CONFIG_INVALID` / `BBWS_ERR_CONFIG_READ`
   */
  get config(): Config {
    return this.#life.config;
  }

  /** Non-fatal config findings (unknown keys, unknown `BBWS_*` variables); logged at start. */
  get configWarnings(): readonly string[] {
    return this.#life.resolved.warnings;
  }

  /** The app's log hub; also injectable as `LogHub` or `LOG_HUB`. @see docs/logging.md */
  get logger(): LogHub {
    return this.#life.logger;
  }

  /** Bound addresses after {@link App.start}. */
  get addresses(): ReadonlyArray<{ ip: string; port: number }> {
    return this.#life.addresses;
  }

  /**
   * The transport serving this app, built from the config on first access. Its `serve()`
   * runs an in-memory duplex through the same connection code as a socket (what TestClient does).
   */
  get server(): HttpServer {
    void this.#pipeline.plan;
    return this.#life.server;
  }

  /**
   * Which copy of the app this process is: 1 to `processes` in the children of a cluster
   * (a restarted child keeps the index of the one it replaces), 1 when the app runs as one
   * process, 0 in the cluster primary. Tasks run where it is 1. @see docs/processes.md
   */
  get processIndex(): number {
    return this.#life.processIndex;
  }

  /**
   * In the cluster primary after {@link App.start}: the index and pid of every child running
   * now (a restarted child has a new pid, the same index). Empty in any other process.
   * @see docs/processes.md
   */
  get children(): ReadonlyArray<{ readonly index: number; readonly pid: number; readonly isReady: boolean }> {
    return this.#life.children;
  }

  /**
   * What `/readyz` answers: `starting`, `ready` (listeners bound, worker pool up), `draining`
   * (a stop began) or `stopped`. @see docs/processes.md#health
   */
  get readiness(): Readiness {
    return this.#life.readiness;
  }

  /**
   * Starts one listener per `server` entry of the config, and the background tasks.
   * @throws CoreError `BBWS_ERR_APP_STATE` when started twice or in adapter runtime mode
   * @throws TransportError `BBWS_ERR_TRANSPORT_NO_LISTENER` when no listener could start,
   *   `BBWS_ERR_TRANSPORT_LISTEN` when one cannot bind; the app is then stopped, with nothing
   *   left running
   */
  start(options: StartOptions = {}): Promise<void> {
    return this.#life.start(options.handleSignals ?? true);
  }

  /**
   * The adapter runtime's start: the background tasks and the worker pool, if any (resolves once
   * every worker has loaded the app); warns once about keys adapter mode ignores. The adapters
   * call it on their first request; call it yourself to fail early. @see docs/adapter-runtime.md
   * @throws CoreError `BBWS_ERR_APP_STATE` outside `runtime_mode=adapter` (socket mode has
   *   `app.start()`) or after stop; WorkerPoolError `BBWS_ERR_POOL_WORKER_START`
   */
  init(): Promise<void> {
    return this.#life.init();
  }

  /**
   * Stops tasks and listeners; in-flight requests finish first (bounded by the transport's
   * deadline), answered with `Connection: close`. Every caller gets the same promise.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#life.stop().finally(() => this.#pipeline.unwatchLogger());
    return this.#stopping;
  }

  /**
   * Adds a hook that runs before every route handler (after routing). It receives the
   * {@link RequestContext}; returning anything but `undefined` answers the request with it;
   * throwing an HttpError answers with that status. @see docs/controllers.md
   */
  use(hook: BeforeHook): this {
    this.#hooks.push(hook);
    return this;
  }

  /**
   * Schedules `run` while started (the seed's `server_task`): every `seconds` or `every`
   * (`'500ms'`, `'60s'`), with the unit written down. @see docs/controllers.md#background-tasks
   * @throws CoreError `BBWS_ERR_TASK_INTERVAL` for the old `addTask(run, ms)` or a bad duration
   */
  addTask(
    run: () => unknown,
    options: TaskSchedule & { name?: string; runOnStart?: boolean; everyProcess?: boolean },
  ): this {
    const intervalMs = taskIntervalMs(options, 'addTask');
    this.#life.tasks.add({
      name: options.name ?? (run.name || 'task'),
      intervalMs,
      runOnStart: options.runOnStart ?? false,
      everyProcess: options.everyProcess ?? false,
      run,
    });
    return this;
  }

  /**
   * Turns CORS on (or replaces its settings) at run time; preflight OPTIONS requests are then
   * answered automatically. @throws CoreError `BBWS_ERR_CORS_INVALID` @see docs/cors.md
   */
  enableCors(options: CorsOptions = {}): this {
    this.#pipeline.cors = new Cors(options);
    return this;
  }

  /** Turns CORS off. @see docs/cors.md */
  disableCors(): this {
    this.#pipeline.cors = null;
    return this;
  }

  /** The active CORS settings, or `null` when CORS is off. @see docs/cors.md */
  getCorsSettings(): CorsSettings | null {
    return this.#pipeline.cors?.settings ?? null;
  }

  /** Compression of ordinary bodies, from the config's `compression` section. @see docs/responses.md#compression */
  get compression(): CompressionOptions | false {
    return this.#pipeline.compression;
  }

  /** Moves the timeout counters endpoint (default `::/_bbws/metrics/timeouts`). @see docs/metrics.md */
  exposeTimeoutMetrics(selector: string): this {
    this.#pipeline.timeoutMetricsAt = selector;
    return this;
  }

  /** Starts counting requests and latencies, served in Prometheus text at `selector`. @see docs/metrics.md */
  exposePrometheusMetrics(selector = '::/metrics'): this {
    this.#pipeline.exposePrometheus(selector);
    return this;
  }

  /**
   * Calls `listener` after every answered request (status and milliseconds since routing), for
   * access logs and metrics: the after-handler counterpart of {@link App.use}. Requests pay for
   * it only while listeners exist. @see docs/controllers.md
   */
  onResponse(listener: ResponseListener): this {
    this.#pipeline.addListener(listener);
    return this;
  }

  /** Timeout counts by category, as served at the timeout metrics endpoint. */
  timeoutCounts(): Readonly<Record<string, number>> {
    return this.#life.timeoutCounts();
  }

  /**
   * The controller instance the app resolved for `controller` (to spy on it in tests).
   * @throws CoreError `BBWS_ERR_APP_STATE` when the class is not a singleton controller of this app
   */
  getController<T extends object>(controller: abstract new (...args: never[]) => T): T {
    const instance = this.#pipeline.plan.controllers.get(controller as unknown as ControllerClass);
    if (instance === undefined) {
      throw new CoreError(
        'BBWS_ERR_APP_STATE',
        `${controller.name} is not a singleton controller of this app`,
      );
    }
    return instance as T;
  }
}

/**
 * Creates an application from controller classes. Decorators are read here, once; a
 * misdecorated controller or an unresolvable dependency fails now with a coded error.
 * @see docs/controllers.md
 */
export function createApp(options: AppOptions): App {
  return new App(options);
}
