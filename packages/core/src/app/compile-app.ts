import { MIME_TYPE } from '@bbws/responses';
import { joinSelector, parseSelector, Router, RouterError } from '@bbws/router';
import type { HttpRequest, WorkerPool } from '@bbws/transport';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { Config } from '../config/config-schema.js';
import {
  type ControllerClass,
  type ControllerMetadata,
  type Guard,
  type ParamSource,
  readControllerMetadata,
} from '../decorators/metadata.js';
import { isZodSchema } from '../decorators/params.js';
import { checkResolvable } from '../di/check-resolvable.js';
import { CoreError } from '../errors.js';
import { OffloadedRoute } from '../offload/offloaded-route.js';
import { headerLine } from '../results/write-result.js';
import type { TaskSpec } from '../tasks/task-runner.js';
import { ErrorPages, scopeOf } from './error-pages.js';
import { RequestContext } from './request-context.js';
import { type BeforeHook, type ErrorResponder, RoutePlan, type RouteTarget } from './route-plan.js';

/** Injection token of the current {@link RequestContext}, for request-scoped controllers. */
export const REQUEST_CONTEXT: InjectionToken<RequestContext> = Symbol('bbws.RequestContext');

/** What compiling an app's controllers needs from the rest of the app. */
export interface CompileInput {
  readonly controllers: readonly ControllerClass[];
  readonly container: DependencyContainer;
  readonly handlerPlacement: Config['handler_placement'];
  /** In a pool worker every route runs where it is: nothing is offloaded again. */
  readonly isPoolWorker: boolean;
  /** The app's hook list, shared by reference so hooks added after start apply. */
  readonly hooks: readonly BeforeHook[];
  /** Where routes send failures and stream ends (the pipeline). */
  readonly errors: ErrorResponder;
  /** The app's pool, created on first use. */
  readonly pool: () => WorkerPool;
  /** The global max_body_size: an upload route without `maxTotalBytes` streams up to it. */
  readonly maxBodyBytes: () => number;
}

/**
 * Everything the decorators said, read once at start, validated and compiled: the route
 * table, error pages, tasks and the resolved singleton controllers. Nothing in it changes
 * after {@link compileApp} returns.
 */
export interface AppPlan {
  /** The route table; only read after compile (`match`, `listRoutes`). */
  readonly router: Router<RouteTarget>;
  /** Every route plan in registration order: the index is a route's id across threads. */
  readonly plans: readonly RoutePlan[];
  /** `Controller.method` of every plan, in order: a worker's app must list the same. */
  readonly routeNames: readonly string[];
  readonly offloadedNames: readonly string[];
  readonly errorPages: ErrorPages;
  readonly tasks: readonly TaskSpec[];
  readonly controllers: ReadonlyMap<ControllerClass, object>;
  /** The `Allow` line of `OPTIONS *`, built once so the request pays for the send only. */
  readonly serverAllowLine: string;
}

/**
 * Reads every controller's metadata, resolves controllers and guards, and compiles routes,
 * error pages and tasks into an {@link AppPlan}.
 * @throws CoreError `BBWS_ERR_CONTROLLER_MISSING_DECORATOR`, `BBWS_ERR_DECORATOR_MISUSE`,
 *   `BBWS_ERR_ROUTE_COMPOSITION`, `BBWS_ERR_DI_MISSING`; RouterError for bad selectors
 */
export function compileApp(input: CompileInput): AppPlan {
  const compiler = new Compiler(input);
  for (const controller of input.controllers) compiler.add(controller);
  return compiler.finish();
}

class Compiler {
  readonly #input: CompileInput;
  readonly #router = new Router<RouteTarget>();
  readonly #plans: RoutePlan[] = [];
  readonly #routeNames: string[] = [];
  readonly #offloadedNames: string[] = [];
  readonly #errorPages = new ErrorPages();
  readonly #tasks: TaskSpec[] = [];
  readonly #controllers = new Map<ControllerClass, object>();
  /** Every route added so far, to name both sides of a conflict. */
  readonly #added: Array<{ readonly method: string; readonly selector: string; readonly name: string }> = [];

  constructor(input: CompileInput) {
    this.#input = input;
  }

  finish(): AppPlan {
    return Object.freeze({
      router: this.#router,
      plans: Object.freeze(this.#plans),
      routeNames: Object.freeze(this.#routeNames),
      offloadedNames: Object.freeze(this.#offloadedNames),
      errorPages: this.#errorPages,
      tasks: Object.freeze(this.#tasks),
      controllers: this.#controllers,
      serverAllowLine: serverAllowLine(this.#router.listRoutes()),
    });
  }

  add(controller: ControllerClass): void {
    const meta = readControllerMetadata(controller);
    if (meta === undefined || meta.prefix === null) {
      throw new CoreError(
        'BBWS_ERR_CONTROLLER_MISSING_DECORATOR',
        `${controller.name} is listed as a controller but has no @Controller() decorator`,
      );
    }
    const { container } = this.#input;
    const isRequestScoped = meta.scope === 'request';
    let instance: Record<string, unknown>;
    if (isRequestScoped) {
      // Resolve once now, with a synthetic request, so a broken dependency fails at start.
      const probe = container.createChildContainer();
      probe.register(REQUEST_CONTEXT, { useValue: probeContext() });
      checkResolvable(probe, controller as never);
      instance = probe.resolve(controller as never);
    } else {
      checkResolvable(container, controller as never);
      instance = container.resolve(controller as never);
      this.#controllers.set(controller, instance);
    }
    const instanceFor = isRequestScoped
      ? (ctx: RequestContext): object => {
          const child = container.createChildContainer();
          child.register(REQUEST_CONTEXT, { useValue: ctx });
          return child.resolve(controller as never);
        }
      : null;
    const classGuards = meta.classGuards.map((g) => this.#resolveGuard(controller, g));
    for (const route of meta.routes) {
      methodOf(controller, instance, route.propertyKey);
      const guards: Guard[] = [
        ...classGuards,
        ...(meta.methodGuards.get(route.propertyKey) ?? []).map((g) => this.#resolveGuard(controller, g)),
      ];
      const name = `${controller.name}.${route.propertyKey}`;
      const sources = meta.params.get(route.propertyKey) ?? [];
      const selector = selectorOf(name, meta.prefix ?? '', route.selector);
      checkSources(
        name,
        sources,
        parseSelector(selector).placeholders.map((p) => p.name),
      );
      const plan = new RoutePlan({
        instanceFor,
        instance: isRequestScoped ? null : instance,
        methodName: route.propertyKey,
        sources,
        typeLine: typeLineOf(route.mimeType),
        guards,
        hooks: this.#input.hooks,
        errors: this.#input.errors,
        compress: route.compress,
        maxBodyBytes: this.#input.maxBodyBytes,
      });
      const id = this.#plans.push(plan) - 1;
      this.#routeNames.push(name);
      let target: RouteTarget = plan;
      const placement = this.#input.handlerPlacement;
      if (
        !this.#input.isPoolWorker &&
        placement !== 'inline-only' &&
        (meta.offloaded.has(route.propertyKey) || placement === 'pool')
      ) {
        target = new OffloadedRoute(id, this.#input.pool, this.#input.errors);
        this.#offloadedNames.push(name);
      }
      for (const httpMethod of route.methods) this.#addRoute(httpMethod, selector, target, name);
    }
    this.#addErrorPages(controller, meta, instance);
    for (const task of meta.tasks) {
      const method = methodOf(controller, instance, task.propertyKey);
      this.#tasks.push({
        name: `${controller.name}.${task.propertyKey}`,
        intervalMs: task.intervalMs,
        runOnStart: task.runOnStart,
        everyProcess: task.everyProcess,
        run: () => method.call(instance),
      });
    }
  }

  /** Adds a route; a conflict names both `Class.method`s, not only their selectors. */
  #addRoute(method: string, selector: string, target: RouteTarget, name: string): void {
    try {
      this.#router.add(method, selector, target);
    } catch (error) {
      if (!(error instanceof RouterError) || error.code !== 'BBWS_ERR_ROUTE_DUPLICATE') throw error;
      const other = this.#added.find((added) => conflicts(added, method, selector));
      throw new RouterError(
        'BBWS_ERR_ROUTE_DUPLICATE',
        `${name} and ${other?.name ?? 'a route registered before'} answer the same requests: ${error.message}`,
        { selector, cause: error },
      );
    }
    this.#added.push({ method, selector, name });
  }

  #addErrorPages(controller: ControllerClass, meta: ControllerMetadata, instance: object): void {
    const scope = scopeOf(meta.prefix ?? '');
    for (const handler of meta.errorHandlers) {
      const method = methodOf(controller, instance, handler.propertyKey);
      const sources = meta.params.get(handler.propertyKey) ?? [];
      this.#errorPages.add({
        status: handler.status,
        scope,
        name: `${controller.name}.${handler.propertyKey}`,
        typeLine: typeLineOf(handler.mimeType),
        // Error pages take `@Ctx()` (and `@Res()`) only; other sources would re-read a failed request.
        run:
          sources.length > 0
            ? (ctx) =>
                method.apply(
                  instance,
                  sources.map((s) => (s?.kind === 'res' ? ctx.response : ctx)),
                )
            : () => method.call(instance),
      });
    }
  }

  #resolveGuard(controller: ControllerClass, guard: new (...args: never[]) => Guard): Guard {
    const { container } = this.#input;
    checkResolvable(container, guard);
    const instance = container.resolve(guard as never) as Guard;
    if (typeof instance.canActivate !== 'function') {
      throw new CoreError(
        'BBWS_ERR_DECORATOR_MISUSE',
        `${controller.name}: guard ${guard.name} has no canActivate(ctx) method`,
      );
    }
    return instance;
  }
}

function typeLineOf(mimeType: string | null | undefined): string {
  const type = mimeType ?? MIME_TYPE.TEXT;
  return type === MIME_TYPE.DYNAMIC ? '' : headerLine('Content-Type', type);
}

/**
 * The controller prefix joined with a method's selector. A prefix the selector contradicts is
 * `BBWS_ERR_ROUTE_COMPOSITION`; a malformed selector or template keeps the router's own code.
 */
function selectorOf(name: string, prefix: string, selector: string): string {
  try {
    return joinSelector(prefix, selector);
  } catch (error) {
    if (error instanceof RouterError && error.code !== 'BBWS_ERR_ROUTE_SELECTOR_CONFLICT') {
      throw new RouterError(error.code, `${name}: ${error.message}`, {
        selector: error.selector,
        position: error.position,
        cause: error,
      });
    }
    throw new CoreError(
      'BBWS_ERR_ROUTE_COMPOSITION',
      `${name}: cannot join the controller prefix ${JSON.stringify(prefix)} with ${JSON.stringify(selector)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Whether an earlier route and this one are the pair the router called ambiguous. */
function conflicts(
  added: { readonly method: string; readonly selector: string },
  method: string,
  selector: string,
): boolean {
  if (added.method !== method) return false;
  const probe = new Router<null>();
  probe.add(added.method, added.selector, null);
  try {
    probe.add(method, selector, null);
    return false;
  } catch {
    // Only the duplicate can fail here: both selectors were already accepted on their own.
    return true;
  }
}

/**
 * Refuses what would fail on every request: `@Param` naming no placeholder of the template,
 * `@Body` / `@Query` given something that is not a zod schema.
 * @throws CoreError `BBWS_ERR_PARAM_UNKNOWN`, `BBWS_ERR_SCHEMA_INVALID`
 */
function checkSources(
  name: string,
  sources: readonly (ParamSource | undefined)[],
  placeholders: readonly string[],
): void {
  for (const source of sources) {
    if (source === undefined) continue;
    if (source.kind === 'param' && !placeholders.includes(source.name)) {
      throw new CoreError(
        'BBWS_ERR_PARAM_UNKNOWN',
        `${name}: @Param(${JSON.stringify(source.name)}) names no placeholder of its route (${
          placeholders.length === 0
            ? 'the template has none'
            : `it has ${placeholders.map((p) => JSON.stringify(p)).join(', ')}`
        })`,
      );
    }
    const isBadQueryName = source.kind === 'query' && source.name !== null && typeof source.name !== 'string';
    const schema = source.kind === 'query' || source.kind === 'body' ? source.schema : null;
    if (isBadQueryName || (schema !== null && !isZodSchema(schema))) {
      const decorator = source.kind === 'body' ? '@Body' : '@Query';
      throw new CoreError(
        'BBWS_ERR_SCHEMA_INVALID',
        `${name}: ${decorator}() takes a zod schema${decorator === '@Query' ? ' or a parameter name' : ''}; it was given ${describe(isBadQueryName && source.kind === 'query' ? source.name : schema)}`,
      );
    }
  }
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
}

function methodOf(
  controller: ControllerClass,
  instance: object,
  key: string,
): (...args: unknown[]) => unknown {
  const method = (instance as Record<string, unknown>)[key];
  if (typeof method !== 'function') {
    throw new CoreError('BBWS_ERR_DECORATOR_MISUSE', `${controller.name}.${key} is not a method`);
  }
  return method as (...args: unknown[]) => unknown;
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
