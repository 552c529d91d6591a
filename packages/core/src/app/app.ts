import {
  type CompressionOptions,
  isLimitReason,
  MIME_TYPE,
  ResponsesError,
  type StreamEndEvent,
} from '@bbws/responses';
import { type Endpoint, joinSelector, parseSelector, Router, type Selector } from '@bbws/router';
import {
  type HttpRequest,
  HttpServer,
  type RequestHandler,
  type ResponseSink,
  type WorkerPool,
} from '@bbws/transport';
import {
  type DependencyContainer,
  type InjectionToken,
  type Provider,
  container as rootContainer,
} from 'tsyringe';
import { ignoredInAdapterMode } from '../adapter/adapter-ignored-keys.js';
import type { Config, ConfigInput } from '../config/config-schema.js';
import { type ResolvedConfig, resolveConfig } from '../config/resolve-config.js';
import { Cors, type CorsOptions, type CorsSettings } from '../cors/cors.js';
import {
  type ControllerClass,
  type ControllerMetadata,
  type Guard,
  readControllerMetadata,
} from '../decorators/metadata.js';
import { checkResolvable } from '../di/check-resolvable.js';
import { CoreError } from '../errors.js';
import { HttpError } from '../http-error.js';
import { LogHub } from '../logging/log-hub.js';
import { registerLogHub } from '../logging/log-token.js';
import { RequestMetrics } from '../metrics/request-metrics.js';
import { OffloadError } from '../offload/offload-error.js';
import { createOffloadPool } from '../offload/offload-pool.js';
import { OffloadedRoute } from '../offload/offloaded-route.js';
import { dispatchCall } from '../offload/worker-dispatcher.js';
import {
  moduleUrlOf,
  poolWorkerData,
  registerWorkerSide,
  type WorkerModuleOptions,
} from '../offload/worker-mode.js';
import { compressionFromConfig } from '../results/compression-settings.js';
import { requestHeader } from '../results/request-headers.js';
import { headerLine } from '../results/write-result.js';
import { TaskRunner } from '../tasks/task-runner.js';
import { type TaskSchedule, taskIntervalMs } from '../tasks/task-schedule.js';
import { bodyStreamPolicy } from '../uploads/body-stream-policy.js';
import { bindsTo, ErrorPages, scopeOf } from './error-pages.js';
import { ObservingSink, type ResponseListener } from './observing-sink.js';
import { RequestContext } from './request-context.js';
import { type BeforeHook, type ErrorResponder, RoutePlan, type RouteTarget } from './route-plan.js';
import { HeadLines } from './sink-decorator.js';
import { transportOptionsFromConfig } from './transport-options.js';

/** A provider registration: a token and how to provide it (class, value, factory or token). */
export type ProviderEntry = readonly [InjectionToken<unknown>, Provider<unknown>];

/** Injection token of the current {@link RequestContext}, for request-scoped controllers. */
export const REQUEST_CONTEXT: InjectionToken<RequestContext> = Symbol('bbws.RequestContext');

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Controller classes (decorated with `@Controller`). */
  readonly controllers: readonly ControllerClass[];
  /** Providers registered on the app's own child container, before controllers resolve. */
  readonly providers?: readonly ProviderEntry[];
  /** A config object, or the path of a config.json (default `config/config.json` in the cwd). */
  readonly config?: ConfigInput | string;
  /** Parent container (default: tsyringe's root container). */
  readonly container?: DependencyContainer;
  /** The log hub (default: one built from the config's `log` section, closed on stop). */
  readonly logger?: LogHub;
  /** Environment for `BBWS_*` overrides (default `process.env`; `{}` ignores the environment). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * What pool workers load to build this same app: a module and its export (a factory, or the
   * app), usually `{ module: import.meta.url, export: 'createMyApp' }` in the factory's own
   * module. Required when a route is offloaded; workers never import the entry script.
   * @see docs/worker-pool.md
   */
  readonly worker?: WorkerModuleOptions;
}

/** Options of {@link App.start}. */
export interface StartOptions {
  /**
   * Stop gracefully on the first SIGINT/SIGTERM, then exit 0; a second signal exits 130 at once
   * (default true). The app is then the signals' one owner: add no handler of your own beside
   * it, or pass `false` and call `app.stop()` from yours. @see docs/controllers.md#lifecycle
   */
  readonly handleSignals?: boolean;
}

type AppState = 'created' | 'started' | 'stopped';

const TEXT_LINE = headerLine('Content-Type', MIME_TYPE.TEXT);
const JSON_LINE = headerLine('Content-Type', MIME_TYPE.JSON);
/** RFC 9110 §9 methods: known to every server, so a path without them answers 405, never 501. */
const STANDARD_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);
const DEFAULT_TIMEOUT_COUNTS = Object.freeze({
  'timeouts.header': 0,
  'timeouts.body': 0,
  'timeouts.handler': 0,
  'timeouts.send': 0,
  'timeouts.slot': 0,
});

/**
 * An application: controllers compiled into a route table, a DI container, error pages,
 * tasks, CORS and metrics, and (after {@link App.start}) listeners.
 * @see docs/controllers.md
 */
export class App implements ErrorResponder {
  /** The app's child container: providers and controllers live here. */
  readonly container: DependencyContainer;
  /** The route table (read-only use: `router.listRoutes()`). */
  readonly router = new Router<RouteTarget>();
  readonly #configSource: ConfigInput | string | undefined;
  readonly #env: Readonly<Record<string, string | undefined>> | undefined;
  #resolved: ResolvedConfig | null = null;
  #logger: LogHub | null;
  readonly #ownsLogger: boolean;
  readonly #controllers = new Map<ControllerClass, object>();
  readonly #errorPages = new ErrorPages();
  readonly #hooks: BeforeHook[] = [];
  readonly #tasks = new TaskRunner((task, error) => this.#logError(`task ${task.name} failed`, error));
  #server: HttpServer | null = null;
  #state: AppState = 'created';
  #addresses: Array<{ ip: string; port: number }> = [];
  #cors: Cors | null = null;
  #compression: CompressionOptions | false | undefined;
  #timeoutMetricsAt: Selector = parseSelector('::/_bbws/metrics/timeouts');
  #prometheusAt: Selector | null = null;
  #requestMetrics: RequestMetrics | null = null;
  readonly #responseListeners: ResponseListener[] = [];
  #signalHandler: ((signal: NodeJS.Signals) => void) | null = null;
  /** The one stop in progress or done: every stop() caller waits for the same one. */
  #stopping: Promise<void> | null = null;
  /**
   * The `Allow` line of `OPTIONS *`, built once the routes are compiled (the constructor is
   * where the app adds routes), so the request pays for nothing but the send.
   */
  readonly #serverAllowLine: string;
  /** Every route plan in registration order: the index is a route's id across threads. */
  readonly #plans: RoutePlan[] = [];
  /** `Controller.method` of every plan, in order: a worker's app must list the same. */
  readonly #routeNames: string[] = [];
  readonly #offloadedNames: string[] = [];
  #pool: WorkerPool | null = null;
  readonly #worker: { readonly module: string; readonly export: string } | null;
  readonly #isPoolWorker: boolean;
  /** The one init() (adapter runtime) in progress or done. */
  #initializing: Promise<void> | null = null;

  /** The transport entry point: routes one request. Bound once, used for every request. */
  readonly handle: RequestHandler = (request, sink) => this.#handle(request, sink);

  constructor(options: AppOptions) {
    this.container = (options.container ?? rootContainer).createChildContainer();
    this.#configSource = options.config;
    this.#env = options.env;
    this.#logger = options.logger ?? null;
    this.#ownsLogger = options.logger === undefined;
    // Before the providers, so a test can still replace the hub with its own.
    registerLogHub(this.container, () => this.logger);
    for (const [token, provider] of options.providers ?? []) {
      this.container.register(token, provider as never);
    }
    const worker = options.worker;
    this.#worker =
      worker === undefined
        ? null
        : { module: moduleUrlOf(worker.module), export: worker.export ?? 'default' };
    this.#isPoolWorker = poolWorkerData !== null;
    if (poolWorkerData !== null) {
      // The main thread's config, so both threads agree and the worker reads no file.
      this.#resolved = resolveConfig({ object: poolWorkerData.config, env: {} });
    }
    for (const controller of options.controllers) this.#compileController(controller);
    this.#serverAllowLine = serverAllowLine(this.router.listRoutes());
    if (this.#plans.some((plan) => plan.bodyStreamLimit >= 0))
      this.handle.bodyStreamLimit = bodyStreamPolicy(this.router);
    if (this.#offloadedNames.length > 0 && this.#worker === null) {
      throw new OffloadError(
        'BBWS_ERR_OFFLOAD_NO_WORKER_MODULE',
        `${this.#offloadedNames.join(', ')} run in the worker pool, so the app must name what workers load to build it: createApp({ worker: { module: import.meta.url, export: 'createMyApp' } }) in the module that exports the factory (or handler_placement "inline-only" to run them inline)`,
      );
    }
    if (this.#isPoolWorker) {
      const plans = this.#plans;
      registerWorkerSide(this, {
        routes: this.#routeNames,
        dispatch: (payload) => dispatchCall(plans, payload, (sink, error) => this.#lastResort(sink, error)),
      });
    }
  }

  /** Live worker threads of the offload pool; 0 when no route is offloaded. @see docs/worker-pool.md */
  get poolSize(): number {
    return this.#pool?.size ?? 0;
  }

  /** The pool, created on the first offloaded request or at start. */
  #poolFor(): WorkerPool {
    if (this.#pool === null) {
      const worker = this.#worker as { readonly module: string; readonly export: string };
      this.#pool = createOffloadPool(
        this.config,
        {
          bbwsPoolWorker: true,
          module: worker.module,
          export: worker.export,
          config: this.config,
          routes: this.#routeNames,
        },
        (event) => this.logger.log(`worker ${event.threadId} ${event.kind}: ${event.detail}`, 'warning'),
      );
    }
    return this.#pool;
  }

  /** An error thrown past a route plan inside a worker: logged there, answered 500. */
  #lastResort(sink: ResponseSink, error: unknown): void {
    this.#logError('an offloaded route failed', error);
    sink.send(500, TEXT_LINE, 'Internal Server Error');
  }

  /**
   * The validated configuration, read on first access: defaults, then the file (or the object
   * given), then `BBWS_*` variables. @see docs/configuration.md
   * @throws CoreError `BBWS_ERR_CONFIG_INVALID` / `BBWS_ERR_CONFIG_READ`
   */
  get config(): Config {
    return this.#resolvedConfig().config;
  }

  /** Non-fatal config findings (unknown keys, unknown `BBWS_*` variables); logged at start. */
  get configWarnings(): readonly string[] {
    return this.#resolvedConfig().warnings;
  }

  /** The app's log hub; also injectable as `LogHub` or `LOG_HUB`. @see docs/logging.md */
  get logger(): LogHub {
    this.#logger ??= LogHub.fromConfig(this.config.log, { devMode: this.config.dev_mode });
    return this.#logger;
  }

  #resolvedConfig(): ResolvedConfig {
    if (this.#resolved === null) {
      const source = this.#configSource;
      const env = this.#env === undefined ? {} : { env: this.#env };
      this.#resolved =
        source === undefined
          ? resolveConfig(env)
          : typeof source === 'string'
            ? resolveConfig({ file: source, ...env })
            : resolveConfig({ object: source, ...env });
    }
    return this.#resolved;
  }

  /** Bound addresses after {@link App.start}. */
  get addresses(): ReadonlyArray<{ ip: string; port: number }> {
    return this.#addresses;
  }

  /**
   * The transport serving this app, built from the config on first access. Its `serve()`
   * runs an in-memory duplex through the same connection code as a socket (what TestClient does).
   */
  get server(): HttpServer {
    if (this.#server === null)
      this.#server = new HttpServer(
        transportOptionsFromConfig(this.config, this.handle, (level, message) =>
          this.logger.log(message, level === 'warn' ? 'warning' : level),
        ),
      );
    return this.#server;
  }

  /**
   * Starts one listener per `server` entry of the config, and the background tasks.
   * @throws CoreError `BBWS_ERR_APP_STATE` when started twice or in adapter runtime mode
   * @throws TransportError `BBWS_ERR_TRANSPORT_NO_LISTENER` when no listener could start,
   *   `BBWS_ERR_TRANSPORT_LISTEN` when one cannot bind; the app is then stopped, with nothing
   *   left running
   */
  async start(options: StartOptions = {}): Promise<void> {
    if (this.#state !== 'created') {
      throw new CoreError('BBWS_ERR_APP_STATE', `app.start() called when the app is ${this.#state}`);
    }
    if (this.#isPoolWorker) {
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
    for (const warning of this.configWarnings) this.logger.log(warning, 'warning');
    this.logger.log(() => `routes:\n${this.#describeRoutes()}`, 'debug');
    await this.#startPool();
    this.#state = 'started';
    try {
      this.#addresses = await this.server.listen();
    } catch (error) {
      // Nothing may stay up: listeners bound before the failure, the pool, the owned log hub.
      await this.stop();
      throw error;
    }
    this.#tasks.start();
    if (options.handleSignals ?? true) this.#installSignalHandlers();
  }

  /**
   * The adapter runtime's start: starts the background tasks and, when a route is offloaded,
   * the worker pool (resolving once every worker has loaded the app), and warns once about the
   * config keys adapter mode ignores. `toNodeListener` and `toFetchHandler` call it on their
   * first request when you have not; call it yourself to fail early. `app.stop()` stops what it
   * started. Every call returns the same promise. @see docs/adapter-runtime.md
   * @throws CoreError `BBWS_ERR_APP_STATE` outside `runtime_mode=adapter` (socket mode has
   *   `app.start()`) or after stop; WorkerPoolError `BBWS_ERR_POOL_WORKER_START`
   */
  init(): Promise<void> {
    this.#initializing ??= this.#init();
    return this.#initializing;
  }

  async #init(): Promise<void> {
    if (this.#state !== 'created' || this.#isPoolWorker) {
      throw new CoreError('BBWS_ERR_APP_STATE', `app.init() called when the app is ${this.#state}`);
    }
    if (this.config.runtime_mode !== 'adapter') {
      throw new CoreError(
        'BBWS_ERR_APP_STATE',
        'app.init() is for runtime_mode=adapter; in socket mode app.start() starts the tasks and the listeners',
      );
    }
    this.#state = 'started';
    for (const warning of this.configWarnings) this.logger.log(warning, 'warning');
    const ignored = ignoredInAdapterMode(this.config);
    if (ignored.length > 0) {
      this.logger.log(
        `runtime_mode=adapter: adapter mode ignores ${ignored.join(', ')} (the host server owns connections; see docs/adapter-runtime.md)`,
        'warning',
      );
    }
    await this.#startPool();
    if (this.#state === 'started') this.#tasks.start();
  }

  /** Brings the pool up when some route runs there; a failed start leaves no worker behind. */
  async #startPool(): Promise<void> {
    if (this.#offloadedNames.length === 0) return;
    try {
      await this.#poolFor().ready();
    } catch (error) {
      await this.#pool?.close();
      this.#pool = null;
      throw error;
    }
  }

  /**
   * Stops tasks and listeners; in-flight requests finish first (bounded by the transport's
   * deadline) and are answered with `Connection: close`. Called again, or concurrently, it
   * returns the same promise: a second caller (a second signal handler, a test's `afterAll`)
   * must not see the app "stopped" and exit the process under requests still being answered.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const wasListening = this.#state === 'started' && !this.#isPoolWorker;
    this.#state = 'stopped';
    if (wasListening) {
      await Promise.all([this.#tasks.stop(), this.#server?.close()]);
      // Only now: a second signal during the stop still reaches our handler, which exits 130.
      this.#removeSignalHandlers();
    } else {
      await this.#tasks.stop();
    }
    // After the listeners: in-flight offloaded requests have answered (or hit the deadline).
    await this.#pool?.close();
    // An app that never listened may still have opened log files (TestClient, adapters).
    if (this.#ownsLogger) await this.#logger?.close();
  }

  #describeRoutes(): string {
    return this.router
      .listRoutes()
      .map((route) => `  ${route.method.padEnd(7)} ${route.selector}`)
      .join('\n');
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
  addTask(run: () => unknown, options: TaskSchedule & { name?: string; runOnStart?: boolean }): this {
    const intervalMs = taskIntervalMs(options, 'addTask');
    this.#tasks.add({
      name: options.name ?? (run.name || 'task'),
      intervalMs,
      runOnStart: options.runOnStart ?? false,
      run,
    });
    return this;
  }

  /**
   * Turns CORS on (or replaces its settings) at run time; preflight OPTIONS requests are then
   * answered automatically. @throws CoreError `BBWS_ERR_CORS_INVALID` @see docs/cors.md
   */
  enableCors(options: CorsOptions = {}): this {
    this.#cors = new Cors(options);
    return this;
  }

  /** Turns CORS off. @see docs/cors.md */
  disableCors(): this {
    this.#cors = null;
    return this;
  }

  /** The active CORS settings, or `null` when CORS is off. @see docs/cors.md */
  getCorsSettings(): CorsSettings | null {
    return this.#cors?.settings ?? null;
  }

  /** Moves the timeout counters endpoint (default `::/_bbws/metrics/timeouts`). @see docs/metrics.md */
  exposeTimeoutMetrics(selector: string): this {
    this.#timeoutMetricsAt = parseSelector(selector);
    return this;
  }

  /** Starts counting requests and latencies, served in Prometheus text at `selector`. @see docs/metrics.md */
  exposePrometheusMetrics(selector = '::/metrics'): this {
    this.#prometheusAt = parseSelector(selector);
    if (this.#requestMetrics === null) {
      const metrics = new RequestMetrics();
      this.#requestMetrics = metrics;
      this.onResponse((request, status, durationMs) =>
        metrics.observe(request.method, status, durationMs / 1000),
      );
    }
    return this;
  }

  /**
   * Calls `listener` after every answered request (status and milliseconds since routing), for
   * access logs and metrics: the after-handler counterpart of {@link App.use}. Requests pay for
   * it only while listeners exist. @see docs/controllers.md
   */
  onResponse(listener: ResponseListener): this {
    this.#responseListeners.push(listener);
    return this;
  }

  /** Compression of ordinary bodies, from the config's `compression` section. @see docs/responses.md#compression */
  get compression(): CompressionOptions | false {
    this.#compression ??= compressionFromConfig(this.config.compression);
    return this.#compression;
  }

  /** Timeout counts by category, as served at the timeout metrics endpoint. */
  timeoutCounts(): Readonly<Record<string, number>> {
    const server = this.#server as (HttpServer & { timeoutCounts?: () => Record<string, number> }) | null;
    return server?.timeoutCounts?.() ?? DEFAULT_TIMEOUT_COUNTS;
  }

  /**
   * The controller instance the app resolved for `controller` (to spy on it in tests).
   * @throws CoreError `BBWS_ERR_APP_STATE` when the class is not a singleton controller of this app
   */
  getController<T extends object>(controller: abstract new (...args: never[]) => T): T {
    const instance = this.#controllers.get(controller as unknown as ControllerClass);
    if (instance === undefined) {
      throw new CoreError(
        'BBWS_ERR_APP_STATE',
        `${controller.name} is not a singleton controller of this app`,
      );
    }
    return instance as T;
  }

  /** Answers a request with the status of `error` (HttpError) or 500; error pages apply. */
  respondError(request: HttpRequest, sink: ResponseSink, error: unknown): void {
    const status = statusOf(error);
    if (status === 500) this.#logError(`${request.method} ${request.path} failed`, error, request);
    this.#respondStatus(request, sink, status, error, '');
  }

  /** Logs how a streamed body ended: limits at the seed's TIMEOUT level, errors as errors, the rest at debug. */
  onStreamEnd(request: HttpRequest, event: StreamEndEvent): void {
    const level = isLimitReason(event.reason) ? 'timeout' : event.reason === 'error' ? 'error' : 'debug';
    this.logger.log(
      () => ({
        msg: `stream ${request.method} ${request.path} ended: ${event.reason}`,
        bytes: event.bytes,
        chunks: event.chunks,
        durationMs: event.durationMs,
      }),
      level,
      request.endpoint,
      event.error,
    );
  }

  #respondStatus(
    request: HttpRequest,
    sink: ResponseSink,
    status: number,
    error: unknown,
    extraLines: string,
  ): void {
    const page = this.#errorPages.find(status, request.endpoint, request.path);
    if (page !== undefined) {
      const ctx = new RequestContext(request, Object.freeze(Object.create(null)));
      ctx.status = status;
      ctx.error = error;
      const out = extraLines === '' ? sink : new HeadLines(sink, extraLines);
      this.#errorPages.render(page, ctx, out, this).catch((pageError: unknown) => {
        this.#logError(`error page ${page.name} failed`, pageError, request);
        this.#writeDefaultError(out, status, error, '');
      });
      return;
    }
    this.#writeDefaultError(sink, status, error, extraLines);
  }

  #writeDefaultError(sink: ResponseSink, status: number, error: unknown, extraLines: string): void {
    if (error instanceof HttpError) {
      sink.send(status, extraLines + JSON_LINE, JSON.stringify(error.toJSON()));
    } else if (status === 500 && this.#isDevMode() && error instanceof Error) {
      sink.send(500, extraLines + TEXT_LINE, error.stack ?? String(error));
    } else {
      sink.send(status, extraLines + TEXT_LINE, defaultText(status));
    }
  }

  #isDevMode(): boolean {
    return this.config.dev_mode;
  }

  /** Hot: the entry point of every request. */
  #handle(request: HttpRequest, sink: ResponseSink): void {
    if (this.#cors !== null) {
      const origin = requestHeader(request, 'origin');
      if (
        origin !== undefined &&
        request.method === 'OPTIONS' &&
        requestHeader(request, 'access-control-request-method') !== undefined
      ) {
        sink.send(204, this.#cors.preflightLinesFor(origin), null);
        return;
      }
      const lines = this.#cors.linesFor(origin);
      if (lines !== '') sink = new HeadLines(sink, lines);
    }
    if (this.#responseListeners.length > 0) {
      sink = new ObservingSink(sink, this.#responseListeners, request, (error) =>
        this.#logError('a response listener failed', error, request),
      );
    }
    const match = this.router.match(request.method, request.path, request.endpoint);
    if (match.kind === 'found') {
      match.value.invoke(request, match.params, sink);
    } else if (this.#isUnknownMethod(request.method)) {
      // RFC 9110 §15.6.2: a method the server does not recognise at all is 501, not 405.
      this.#respondStatus(request, sink, 501, undefined, '');
    } else if (match.kind === 'method-not-allowed') {
      if (request.method === 'OPTIONS') sink.send(204, `Allow: ${match.allow}\r\n`, null);
      else this.#respondStatus(request, sink, 405, undefined, `Allow: ${match.allow}\r\n`);
    } else if (!this.#answerInternal(request, sink)) {
      this.#respondStatus(request, sink, 404, undefined, '');
    }
  }

  #isUnknownMethod(method: string): boolean {
    return !STANDARD_METHODS.has(method) && !this.router.hasMethod(method);
  }

  /** The built-in endpoints; reached only when no route matched, so routes pay nothing for them. */
  #answerInternal(request: HttpRequest, sink: ResponseSink): boolean {
    if (request.method === 'OPTIONS') {
      // RFC 9110 §9.3.7: `OPTIONS *` (asterisk-form, a path no route can have) asks about the
      // server as a whole, not a resource.
      if (request.path !== '*') return false;
      sink.send(204, this.#serverAllowLine, null);
      return true;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (selects(this.#timeoutMetricsAt, request.endpoint, request.path)) {
      sink.send(200, JSON_LINE, JSON.stringify(this.timeoutCounts()));
      return true;
    }
    if (
      this.#prometheusAt !== null &&
      this.#requestMetrics !== null &&
      selects(this.#prometheusAt, request.endpoint, request.path)
    ) {
      sink.send(
        200,
        'Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n',
        this.#requestMetrics.render(this.timeoutCounts()),
      );
      return true;
    }
    return false;
  }

  #compileController(controller: ControllerClass): void {
    const meta = readControllerMetadata(controller);
    if (meta === undefined || meta.prefix === null) {
      throw new CoreError(
        'BBWS_ERR_CONTROLLER_MISSING_DECORATOR',
        `${controller.name} is listed as a controller but has no @Controller() decorator`,
      );
    }
    const isRequestScoped = meta.scope === 'request';
    let instance: Record<string, unknown>;
    if (isRequestScoped) {
      // Resolve once now, with a synthetic request, so a broken dependency fails at start.
      const probe = this.container.createChildContainer();
      probe.register(REQUEST_CONTEXT, { useValue: probeContext() });
      checkResolvable(probe, controller as never);
      instance = probe.resolve(controller as never);
    } else {
      checkResolvable(this.container, controller as never);
      instance = this.container.resolve(controller as never);
      this.#controllers.set(controller, instance);
    }
    const instanceFor = isRequestScoped
      ? (ctx: RequestContext): object => {
          const child = this.container.createChildContainer();
          child.register(REQUEST_CONTEXT, { useValue: ctx });
          return child.resolve(controller as never);
        }
      : null;
    const classGuards = meta.classGuards.map((g) => this.#resolveGuard(controller, g));
    for (const route of meta.routes) {
      this.#methodOf(controller, instance, route.propertyKey);
      const guards: Guard[] = [
        ...classGuards,
        ...(meta.methodGuards.get(route.propertyKey) ?? []).map((g) => this.#resolveGuard(controller, g)),
      ];
      const mimeType = route.mimeType ?? MIME_TYPE.TEXT;
      const plan = new RoutePlan({
        instanceFor,
        instance: isRequestScoped ? null : instance,
        methodName: route.propertyKey,
        sources: meta.params.get(route.propertyKey) ?? [],
        typeLine: mimeType === MIME_TYPE.DYNAMIC ? '' : headerLine('Content-Type', mimeType),
        guards,
        hooks: this.#hooks,
        errors: this,
        compress: route.compress,
        maxBodyBytes: () => this.config.max_body_size,
      });
      const id = this.#plans.push(plan) - 1;
      const name = `${controller.name}.${route.propertyKey}`;
      this.#routeNames.push(name);
      let target: RouteTarget = plan;
      const placement = this.config.handler_placement;
      if (
        !this.#isPoolWorker &&
        placement !== 'inline-only' &&
        (meta.offloaded.has(route.propertyKey) || placement === 'pool')
      ) {
        target = new OffloadedRoute(id, () => this.#poolFor(), this);
        this.#offloadedNames.push(name);
      }
      const selector = this.#selectorOf(controller, meta, route.propertyKey, route.selector);
      for (const httpMethod of route.methods) this.router.add(httpMethod, selector, target);
    }
    this.#compileErrorPages(controller, meta, instance);
    for (const task of meta.tasks) {
      const method = this.#methodOf(controller, instance, task.propertyKey);
      this.#tasks.add({
        name: `${controller.name}.${task.propertyKey}`,
        intervalMs: task.intervalMs,
        runOnStart: task.runOnStart,
        run: () => method.call(instance),
      });
    }
  }

  #compileErrorPages(controller: ControllerClass, meta: ControllerMetadata, instance: object): void {
    const scope = scopeOf(meta.prefix ?? '');
    for (const handler of meta.errorHandlers) {
      const method = this.#methodOf(controller, instance, handler.propertyKey);
      const sources = meta.params.get(handler.propertyKey) ?? [];
      const takesContext = sources.length > 0;
      const mimeType = handler.mimeType ?? MIME_TYPE.TEXT;
      this.#errorPages.add({
        status: handler.status,
        scope,
        name: `${controller.name}.${handler.propertyKey}`,
        typeLine: mimeType === MIME_TYPE.DYNAMIC ? '' : headerLine('Content-Type', mimeType),
        // Error pages take `@Ctx()` (and `@Res()`) only; other sources would re-read a failed request.
        run: takesContext
          ? (ctx) =>
              method.apply(
                instance,
                sources.map((s) => (s?.kind === 'res' ? ctx.response : ctx)),
              )
          : () => method.call(instance),
      });
    }
  }

  #selectorOf(controller: ControllerClass, meta: ControllerMetadata, key: string, selector: string): string {
    try {
      return joinSelector(meta.prefix ?? '', selector);
    } catch (error) {
      throw new CoreError(
        'BBWS_ERR_ROUTE_COMPOSITION',
        `${controller.name}.${key}: cannot join the controller prefix ${JSON.stringify(meta.prefix)} with ${JSON.stringify(selector)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  #methodOf(controller: ControllerClass, instance: object, key: string): (...args: unknown[]) => unknown {
    const method = (instance as Record<string, unknown>)[key];
    if (typeof method !== 'function') {
      throw new CoreError('BBWS_ERR_DECORATOR_MISUSE', `${controller.name}.${key} is not a method`);
    }
    return method as (...args: unknown[]) => unknown;
  }

  #resolveGuard(controller: ControllerClass, guard: new (...args: never[]) => Guard): Guard {
    checkResolvable(this.container, guard);
    const instance = this.container.resolve(guard as never) as Guard;
    if (typeof instance.canActivate !== 'function') {
      throw new CoreError(
        'BBWS_ERR_DECORATOR_MISUSE',
        `${controller.name}: guard ${guard.name} has no canActivate(ctx) method`,
      );
    }
    return instance;
  }

  #installSignalHandlers(): void {
    let isStopping = false;
    const handler = (signal: NodeJS.Signals) => {
      if (isStopping) process.exit(130);
      isStopping = true;
      this.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          this.#logError(`stop after ${signal} failed`, error);
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

  #logError(message: string, error: unknown, request?: HttpRequest): void {
    this.logger.log(message, 'error', request?.endpoint, error);
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

/**
 * The status an error answers: an HttpError's own; a file refusal from @bbws/responses (403,
 * 404) keeps its client status; anything else is the server's fault.
 */
function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof ResponsesError && error.status >= 400 && error.status < 500) return error.status;
  return 500;
}

/**
 * `Allow: ...\r\n` for `OPTIONS *`: every method some route serves, HEAD where GET is
 * (the router answers HEAD with GET routes), and OPTIONS, sorted as 405's `Allow` is.
 */
function serverAllowLine(routes: ReadonlyArray<{ readonly method: string }>): string {
  const methods = new Set(routes.map((route) => route.method));
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return headerLine('Allow', [...methods].sort().join(', '));
}

/** The context request-scoped controllers see when the app resolves them once at start. */
function probeContext(): RequestContext {
  const request: HttpRequest = {
    method: 'GET',
    target: '/',
    path: '/',
    query: '',
    versionMinor: 1,
    headers: [],
    body: null,
    endpoint: { ip: '127.0.0.1', port: 0, domain: '', isTls: false },
    remoteAddress: '127.0.0.1',
    streamLimits: { maxChunkBytes: 0, maxTotalBytes: 0, maxDurationMs: 0, idleTimeoutMs: 0 },
  };
  return new RequestContext(request, Object.freeze(Object.create(null)));
}

function defaultText(status: number): string {
  switch (status) {
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not Found';
    case 405:
      return 'Method Not Allowed';
    case 501:
      return 'Not Implemented';
    default:
      return status === 500 ? 'Internal Server Error' : `Error ${status}`;
  }
}

function selects(s: Selector, ep: Endpoint, path: string): boolean {
  return s.path === path && bindsTo(s, ep);
}
