import type { ZodType } from 'zod';

/** Constructor type of a controller class. */
// biome-ignore lint/suspicious/noExplicitAny: constructor parameters are resolved by DI.
export type ControllerClass = abstract new (...args: any[]) => object;

/** Where a handler argument comes from. */
export type ParamSource =
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'query'; readonly name: string | null; readonly schema: ZodType | null }
  | { readonly kind: 'body'; readonly schema: ZodType | null }
  | { readonly kind: 'upload'; readonly limits: import('../uploads/upload-stream.js').UploadLimits }
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'cookie'; readonly name: string | null }
  | { readonly kind: 'ctx' }
  | { readonly kind: 'req' }
  | { readonly kind: 'res' };

/** What `@Get` and friends record for one method. */
export interface RouteMetadata {
  readonly methods: readonly string[];
  readonly selector: string;
  readonly mimeType: string | null;
  /** `false` when the route opted out of compression (`{ compress: false }`). */
  readonly compress: boolean;
  readonly propertyKey: string;
}

/** What `@ErrorHandler` records. */
export interface ErrorHandlerMetadata {
  readonly status: number;
  readonly mimeType: string | null;
  readonly propertyKey: string;
}

/** What `@Task` records. */
export interface TaskMetadata {
  readonly intervalMs: number;
  readonly runOnStart: boolean;
  readonly everyProcess: boolean;
  readonly propertyKey: string;
}

/** A guard: decides whether a request may reach a handler. @see docs/controllers.md */
export interface Guard {
  /** `true` lets the request through; `false` answers 403; throw an HttpError for another status. */
  canActivate(context: import('../app/request-context.js').RequestContext): boolean | Promise<boolean>;
}

/** A guard class, resolved from the app's container. */
// biome-ignore lint/suspicious/noExplicitAny: constructor parameters are resolved by DI.
export type GuardClass = new (...args: any[]) => Guard;

/** How a controller instance lives. */
export type ControllerScope = 'singleton' | 'request';

/** Everything the decorators recorded about one controller class. */
export interface ControllerMetadata {
  prefix: string | null;
  scope: ControllerScope;
  readonly routes: RouteMetadata[];
  readonly errorHandlers: ErrorHandlerMetadata[];
  readonly tasks: TaskMetadata[];
  /** Guards of the whole class. */
  readonly classGuards: GuardClass[];
  /** Guards per method name. */
  readonly methodGuards: Map<string, GuardClass[]>;
  /** Parameter sources per method name, indexed by parameter position. */
  readonly params: Map<string, ParamSource[]>;
  /** Method names marked `@Offload()`: they run in the worker pool. */
  readonly offloaded: Set<string>;
}

const store = new WeakMap<object, ControllerMetadata>();

/** Metadata of a class, created on first use. Decorators write it; `createApp` reads it once. */
export function controllerMetadata(target: object): ControllerMetadata {
  let meta = store.get(target);
  if (meta === undefined) {
    meta = {
      prefix: null,
      scope: 'singleton',
      routes: [],
      errorHandlers: [],
      tasks: [],
      classGuards: [],
      methodGuards: new Map(),
      params: new Map(),
      offloaded: new Set(),
    };
    store.set(target, meta);
  }
  return meta;
}

/** Metadata of a class if `@Controller` or a route decorator touched it. */
export function readControllerMetadata(target: object): ControllerMetadata | undefined {
  return store.get(target);
}
