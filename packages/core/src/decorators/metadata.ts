/** Constructor type of a controller class. */
// biome-ignore lint/suspicious/noExplicitAny: constructor parameters are resolved by DI.
export type ControllerClass = abstract new (...args: any[]) => object;

/** Where a handler argument comes from. */
export type ParamSource =
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'query'; readonly name: string | null }
  | { readonly kind: 'body' }
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'ctx' };

/** What `@Get` and friends record for one method. */
export interface RouteMetadata {
  readonly methods: readonly string[];
  readonly selector: string;
  readonly mimeType: string | null;
  readonly propertyKey: string;
}

/** Everything the decorators recorded about one controller class. */
export interface ControllerMetadata {
  prefix: string | null;
  readonly routes: RouteMetadata[];
  /** Parameter sources per method name, indexed by parameter position. */
  readonly params: Map<string, ParamSource[]>;
}

const store = new WeakMap<object, ControllerMetadata>();

/** Metadata of a class, created on first use. Decorators write it; `createApp` reads it once. */
export function controllerMetadata(target: object): ControllerMetadata {
  let meta = store.get(target);
  if (meta === undefined) {
    meta = { prefix: null, routes: [], params: new Map() };
    store.set(target, meta);
  }
  return meta;
}

/** Metadata of a class if `@Controller` or a route decorator touched it. */
export function readControllerMetadata(target: object): ControllerMetadata | undefined {
  return store.get(target);
}
