import {
  type CompressionOptions,
  isLimitReason,
  MIME_TYPE,
  ResponsesError,
  type StreamEndEvent,
} from '@bbws/responses';
import { type Endpoint, parseSelector, type Selector } from '@bbws/router';
import type { HttpRequest, RequestHandler, ResponseSink } from '@bbws/transport';
import type { Config } from '../config/config-schema.js';
import type { Cors } from '../cors/cors.js';
import { HealthEndpoints, type Readiness } from '../health/health-endpoints.js';
import { HttpError } from '../http-error.js';
import type { LogHub } from '../logging/log-hub.js';
import { RequestMetrics } from '../metrics/request-metrics.js';
import { ProxyTrust } from '../proxy/proxy-trust.js';
import { compressionFromConfig } from '../results/compression-settings.js';
import { requestHeader } from '../results/request-headers.js';
import type { ResultHooks } from '../results/result-hooks.js';
import { headerLine } from '../results/write-result.js';
import { AccessLogSink } from './access-log-sink.js';
import type { AppPlan } from './compile-app.js';
import { bindsTo } from './error-pages.js';
import { ObservingSink, type ResponseListener } from './observing-sink.js';
import { prefersJson } from './prefers-json.js';
import { RequestContext } from './request-context.js';
import { HeadLines } from './sink-decorator.js';

const TEXT_LINE = headerLine('Content-Type', MIME_TYPE.TEXT);
const JSON_LINE = headerLine('Content-Type', MIME_TYPE.JSON);
const PROMETHEUS_LINE = 'Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n';
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

/** What the pipeline reads from the rest of the app, each when it needs it. */
export interface PipelineDeps {
  readonly logger: () => LogHub;
  /** The config's `compression` section, read when the first body is written. */
  readonly compressionConfig: () => Config['compression'];
  readonly isDevMode: () => boolean;
  readonly timeoutCounts: () => Readonly<Record<string, number>>;
  /** The config's `trust_proxy` and `trust_proxy_header`, read once when the pipeline is built. */
  readonly trustProxy: () => Pick<Config, 'trust_proxy' | 'trust_proxy_header'>;
  /** The config's `health` section, read on the first request that reaches the built-ins. */
  readonly healthConfig: () => Config['health'];
  /** Where the app is between start and exit, for `/readyz`. */
  readonly readiness: () => Readiness;
}

/**
 * The request path of an app: CORS, response listeners, routing, the built-in endpoints and
 * error answers. The stages a request passes are chosen when CORS or listeners change, not per
 * request: {@link Pipeline.handle} is rebuilt then, so a request without CORS or listeners
 * tests neither. Also the app's {@link ResultHooks}: routes send failures and stream ends here.
 */
export class Pipeline implements ResultHooks {
  #plan: AppPlan | null = null;
  readonly #compile: (errors: ResultHooks) => AppPlan;
  readonly #deps: PipelineDeps;
  #cors: Cors | null = null;
  #compression: CompressionOptions | false | undefined;
  readonly #listeners: ResponseListener[] = [];
  #timeoutMetricsAt: Selector = parseSelector('::/_bbws/metrics/timeouts');
  #prometheusAt: Selector | null = null;
  #requestMetrics: RequestMetrics | null = null;
  #health: HealthEndpoints | null = null;
  /** The hub whose switches decide whether requests pass the access log stage. */
  #hub: LogHub | null = null;
  #unwatchHub: (() => void) | null = null;
  /** `trust_proxy`, compiled; `null` when off, and then no stage reads a forwarding header. */
  readonly #proxyTrust: ProxyTrust | null;

  /** The entry point of every request: the stages chosen by the last rebuild. */
  handle: RequestHandler;

  /**
   * @param compile builds the plan, given this pipeline as the routes' error responder; run on
   *   the first read of {@link Pipeline.plan} (a cluster primary never reads it)
   */
  constructor(deps: PipelineDeps, compile: (errors: ResultHooks) => AppPlan) {
    this.#deps = deps;
    this.#compile = compile;
    const trust = deps.trustProxy();
    this.#proxyTrust = ProxyTrust.from(trust.trust_proxy, trust.trust_proxy_header);
    this.handle = this.#route;
    this.#rebuild();
  }

  /** The compiled app, built on first read. */
  get plan(): AppPlan {
    this.#plan ??= this.#compile(this);
    return this.#plan;
  }

  /** Compression of ordinary bodies, from the config's `compression` section (read once). */
  get compression(): CompressionOptions | false {
    this.#compression ??= compressionFromConfig(this.#deps.compressionConfig());
    return this.#compression;
  }

  get cors(): Cors | null {
    return this.#cors;
  }

  set cors(cors: Cors | null) {
    this.#cors = cors;
    this.#rebuild();
  }

  addListener(listener: ResponseListener): void {
    this.#listeners.push(listener);
    this.#rebuild();
  }

  /** Follows the switches of `hub`: the access log stage is in the path while it can write. */
  watchLogger(hub: LogHub): void {
    if (this.#hub === hub) return;
    this.#unwatchHub?.();
    this.#hub = hub;
    this.#unwatchHub = hub.onChange(() => this.#rebuild());
    this.#rebuild();
  }

  /** Stops following the hub (at stop: a hub shared by several apps keeps no listener of ours). */
  unwatchLogger(): void {
    this.#unwatchHub?.();
    this.#unwatchHub = null;
  }

  set timeoutMetricsAt(selector: string) {
    this.#timeoutMetricsAt = parseSelector(selector);
  }

  /** Serves request counts and latencies in Prometheus text at `selector`; counting starts now. */
  exposePrometheus(selector: string): void {
    this.#prometheusAt = parseSelector(selector);
    if (this.#requestMetrics === null) {
      const metrics = new RequestMetrics();
      this.#requestMetrics = metrics;
      this.addListener((request, status, durationMs) =>
        metrics.observe(request.method, status, durationMs / 1000),
      );
    }
  }

  /**
   * Chooses the stages, outermost first: the access log (while `request`, `response` or `time`
   * can be written; it sees the head as sent, CORS lines included), CORS (it may answer a
   * preflight), response listeners, routing. Before all of them, when `trust_proxy` is on, the
   * request takes the client's address, protocol and host from a trusted proxy's headers, so
   * the log, CORS, listeners and the router all see the client.
   */
  #rebuild(): void {
    let next: RequestHandler = this.#route;
    const listeners = this.#listeners;
    if (listeners.length > 0) {
      const route = next;
      next = (request, sink) =>
        route(
          request,
          new ObservingSink(sink, listeners, request, (error) =>
            this.#logError('a response listener failed', error, request),
          ),
        );
    }
    const cors = this.#cors;
    if (cors !== null) {
      const inner = next;
      next = (request, sink) => corsStage(cors, request, sink, inner);
    }
    const hub = this.#hub;
    if (hub !== null && (hub.mayLog('request') || hub.mayLog('response') || hub.mayLog('time'))) {
      const inner = next;
      next = (request, sink) => inner(request, new AccessLogSink(sink, request, hub));
    }
    const trust = this.#proxyTrust;
    if (trust !== null) {
      const inner = next;
      next = (request, sink) => inner(trust.apply(request), sink);
    }
    this.handle = next;
  }

  /** Hot: routes one request. */
  readonly #route = (request: HttpRequest, sink: ResponseSink): void => {
    const router = this.plan.router;
    const match = router.match(request.method, request.path, request.endpoint);
    if (match.kind === 'found') {
      match.value.invoke(request, match.params, sink);
    } else if (!STANDARD_METHODS.has(request.method) && !router.hasMethod(request.method)) {
      // RFC 9110 §15.6.2: a method the server does not recognise at all is 501, not 405.
      this.#respondStatus(request, sink, 501, undefined, '');
    } else if (match.kind === 'method-not-allowed') {
      if (request.method === 'OPTIONS') sink.send(204, `Allow: ${match.allow}\r\n`, null);
      else this.#respondStatus(request, sink, 405, undefined, `Allow: ${match.allow}\r\n`);
    } else if (!this.#answerInternal(request, sink)) {
      this.#respondStatus(request, sink, 404, undefined, '');
    }
  };

  /** The built-in endpoints; reached only when no route matched, so routes pay nothing for them. */
  #answerInternal(request: HttpRequest, sink: ResponseSink): boolean {
    if (request.method === 'OPTIONS') {
      // RFC 9110 §9.3.7: `OPTIONS *` (asterisk-form, a path no route can have) asks about the
      // server as a whole, not a resource.
      if (request.path !== '*') return false;
      sink.send(204, this.plan.serverAllowLine, null);
      return true;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    this.#health ??= new HealthEndpoints(this.#deps.healthConfig());
    if (this.#health.answer(request.endpoint, request.path, sink, this.#deps.readiness())) return true;
    if (selects(this.#timeoutMetricsAt, request.endpoint, request.path)) {
      sink.send(200, JSON_LINE, JSON.stringify(this.#deps.timeoutCounts()));
      return true;
    }
    const metrics = this.#requestMetrics;
    if (
      this.#prometheusAt !== null &&
      metrics !== null &&
      selects(this.#prometheusAt, request.endpoint, request.path)
    ) {
      sink.send(200, PROMETHEUS_LINE, metrics.render(this.#deps.timeoutCounts()));
      return true;
    }
    return false;
  }

  /**
   * Answers a request with the status of `error` (HttpError) or 500. Error pages apply, except
   * to a handler's HttpError when the client asks for JSON: it gets the error's JSON body.
   */
  respondError(request: HttpRequest, sink: ResponseSink, error: unknown): void {
    const status = statusOf(error);
    if (status === 500) this.#logError(`${request.method} ${request.path} failed`, error, request);
    if (error instanceof HttpError && prefersJson(requestHeader(request, 'accept'))) {
      this.#writeDefaultError(sink, status, error, '');
      return;
    }
    this.#respondStatus(request, sink, status, error, '');
  }

  /** Logs how a streamed body ended: limits at the seed's TIMEOUT level, errors as errors, the rest at debug. */
  onStreamEnd(request: HttpRequest, event: StreamEndEvent): void {
    const level = isLimitReason(event.reason) ? 'timeout' : event.reason === 'error' ? 'error' : 'debug';
    this.#deps.logger().log(
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

  /** An error thrown past a route plan inside a worker: logged there, answered 500. */
  lastResort(sink: ResponseSink, error: unknown): void {
    this.#logError('an offloaded route failed', error);
    sink.send(500, TEXT_LINE, 'Internal Server Error');
  }

  #respondStatus(
    request: HttpRequest,
    sink: ResponseSink,
    status: number,
    error: unknown,
    extraLines: string,
  ): void {
    const pages = this.plan.errorPages;
    const page = pages.find(status, request.endpoint, request.path);
    if (page !== undefined) {
      const ctx = new RequestContext(request, Object.freeze(Object.create(null)));
      ctx.status = status;
      ctx.error = error;
      const out = extraLines === '' ? sink : new HeadLines(sink, extraLines);
      pages.render(page, ctx, out, this).catch((pageError: unknown) => {
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
    } else if (status === 500 && this.#deps.isDevMode() && error instanceof Error) {
      sink.send(500, extraLines + TEXT_LINE, error.stack ?? String(error));
    } else {
      sink.send(status, extraLines + TEXT_LINE, defaultText(status));
    }
  }

  #logError(message: string, error: unknown, request?: HttpRequest): void {
    this.#deps.logger().log(message, 'error', request?.endpoint, error);
  }
}

/** Hot when CORS is on: answers a preflight, or adds the CORS lines for the request's origin. */
function corsStage(cors: Cors, request: HttpRequest, sink: ResponseSink, next: RequestHandler): void {
  const origin = requestHeader(request, 'origin');
  if (
    origin !== undefined &&
    request.method === 'OPTIONS' &&
    requestHeader(request, 'access-control-request-method') !== undefined
  ) {
    sink.send(204, cors.preflightLinesFor(origin), null);
    return;
  }
  // Every answer that depends on the origin says so (`Vary: Origin`), refusals and requests
  // without an Origin included.
  const lines = cors.linesFor(origin);
  next(request, lines === '' ? sink : new HeadLines(sink, lines));
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
