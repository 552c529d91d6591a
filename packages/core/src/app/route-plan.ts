import type { HttpRequest, ResponseSink } from '@bbws/transport';
import type { Guard, ParamSource } from '../decorators/metadata.js';
import { HttpError } from '../http-error.js';
import { withoutCompression } from '../results/compression-settings.js';
import type { ResultHooks } from '../results/result-hooks.js';
import { writeResult } from '../results/write-result.js';
import { bodyStreamLimitOf } from '../uploads/body-stream-policy.js';
import { type ArgResolver, needsContext, resolverFor } from './argument-resolvers.js';
import { HeadApplyingSink } from './head-applying-sink.js';
import { RequestContext } from './request-context.js';

type Methods = Record<string, (...args: unknown[]) => unknown>;

/** A hook that runs before every route handler; a non-`undefined` return value is the answer. */
export type BeforeHook = (context: RequestContext) => unknown;

/**
 * Where a route sends what went wrong and how streams ended. The App implements it (error
 * pages, logging, compression settings).
 */
export type ErrorResponder = ResultHooks;

/** What the router stores per route: something that answers a request. */
export interface RouteTarget {
  invoke(request: HttpRequest, params: Readonly<Record<string, unknown>>, sink: ResponseSink): void;
}

/** Everything a {@link RoutePlan} is built from, gathered at start. */
export interface RoutePlanSpec {
  /** Returns the controller instance; `ctx` is given for request-scoped controllers. */
  readonly instanceFor: ((ctx: RequestContext) => object) | null;
  /** The singleton controller instance (when `instanceFor` is null). */
  readonly instance: object | null;
  /**
   * The method's name. It is looked up on the instance per call (one property load), so a
   * test's `vi.spyOn(controller, 'name')` after start is what runs.
   */
  readonly methodName: string;
  readonly sources: readonly (ParamSource | undefined)[];
  /** Prebuilt `Content-Type: ...\r\n`, `''` for dynamic routes. */
  readonly typeLine: string;
  readonly guards: readonly Guard[];
  /** The app's hook list, shared by reference so hooks added later apply. */
  readonly hooks: readonly BeforeHook[];
  readonly errors: ErrorResponder;
  /** `false` when the route opted out of compression (`@Get('/x', { compress: false })`). */
  readonly compress?: boolean;
  /** The global max_body_size: an upload route without `maxTotalBytes` streams up to it. */
  readonly maxBodyBytes?: () => number;
}

/**
 * A route compiled at start: the bound handler, its argument resolvers and the prebuilt
 * Content-Type line. Routes without hooks, guards, context or request scope take a path with
 * no allocation beyond the arguments array.
 */
export class RoutePlan implements RouteTarget {
  readonly #spec: RoutePlanSpec;
  readonly #resolvers: readonly ArgResolver[] | null;
  readonly #needsFullPath: boolean;
  /** What the result writer is given: the app, or the app with compression off for this route. */
  readonly #resultHooks: ResultHooks;
  /** The most bytes this route's body may have as a stream (an `@Upload()` route); -1: buffered. */
  readonly bodyStreamLimit: number;

  constructor(spec: RoutePlanSpec) {
    this.#spec = spec;
    this.#resultHooks = spec.compress === false ? withoutCompression(spec.errors) : spec.errors;
    this.bodyStreamLimit = bodyStreamLimitOf(spec.sources, spec.maxBodyBytes ?? (() => 10_485_760));
    this.#resolvers = spec.sources.length === 0 ? null : Array.from(spec.sources, resolverFor);
    this.#needsFullPath = spec.instanceFor !== null || spec.guards.length > 0 || needsContext(spec.sources);
  }

  /** Hot: runs the handler for a request and writes its result. */
  invoke(request: HttpRequest, params: Readonly<Record<string, unknown>>, sink: ResponseSink): void {
    if (this.#needsFullPath || this.#spec.hooks.length > 0) {
      void this.#invokeFull(request, params, sink);
      return;
    }
    const spec = this.#spec;
    let result: unknown;
    try {
      const resolvers = this.#resolvers;
      if (resolvers === null) {
        result = (spec.instance as Methods)[spec.methodName]();
      } else {
        const args = new Array<unknown>(resolvers.length);
        let isAsync = false;
        for (let i = 0; i < resolvers.length; i++) {
          const arg = (resolvers[i] as ArgResolver)(request, params, null);
          if (arg instanceof Promise) isAsync = true;
          args[i] = arg;
        }
        result = isAsync
          ? Promise.all(args).then((settled) =>
              (spec.instance as Methods)[spec.methodName].apply(spec.instance, settled),
            )
          : (spec.instance as Methods)[spec.methodName].apply(spec.instance, args);
      }
    } catch (error) {
      spec.errors.respondError(request, sink, error);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (value) => this.#write(request, sink, value),
        (error) => spec.errors.respondError(request, sink, error),
      );
    } else {
      this.#write(request, sink, result);
    }
  }

  async #invokeFull(
    request: HttpRequest,
    params: Readonly<Record<string, unknown>>,
    sink: ResponseSink,
  ): Promise<void> {
    const spec = this.#spec;
    const ctx = new RequestContext(request, params);
    const out = new HeadApplyingSink(sink);
    try {
      for (const hook of spec.hooks) {
        const early = await hook(ctx);
        if (early !== undefined) {
          this.#writeWithHead(request, out, ctx, early);
          return;
        }
      }
      for (const guard of spec.guards) {
        if (!(await guard.canActivate(ctx))) throw new HttpError(403, 'Forbidden');
      }
      const instance = spec.instanceFor === null ? spec.instance : spec.instanceFor(ctx);
      const resolvers = this.#resolvers;
      let result: unknown;
      if (resolvers === null) {
        result = await (instance as Methods)[spec.methodName]();
      } else {
        const args = new Array<unknown>(resolvers.length);
        for (let i = 0; i < resolvers.length; i++)
          args[i] = await (resolvers[i] as ArgResolver)(request, params, ctx);
        result = await (instance as Methods)[spec.methodName].apply(instance, args);
      }
      this.#writeWithHead(request, out, ctx, result);
    } catch (error) {
      if (out.isSent) return;
      spec.errors.respondError(request, sink, error);
    }
  }

  #writeWithHead(request: HttpRequest, out: HeadApplyingSink, ctx: RequestContext, value: unknown): void {
    out.addLines(ctx.response.headerLines);
    out.overrideStatus(ctx.response.status);
    this.#write(request, out, value);
  }

  #write(request: HttpRequest, sink: ResponseSink, value: unknown): void {
    try {
      writeResult(sink, this.#spec.typeLine, value, request, this.#resultHooks);
    } catch (error) {
      this.#spec.errors.respondError(request, sink, error);
    }
  }
}
