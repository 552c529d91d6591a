import type { RouteFound, RouteInfo } from '../match-result.js';
import type { ParamValue } from '../template/placeholder-types.js';

/** What a route stores at its tree leaf: its value and, for a static route, the result it always returns. @internal */
export class Leaf<T> {
  constructor(
    readonly value: T,
    readonly route: RouteInfo,
    /** Placeholder names, in value-stack order. */
    readonly names: readonly string[],
    /** The shared result of a route without placeholders; `null` for the others. */
    readonly result: RouteFound<T> | null,
  ) {}

  /** Builds the result of a dynamic route from the first `names.length` values. */
  found(values: readonly ParamValue[]): RouteFound<T> {
    const names = this.names;
    const params: Record<string, ParamValue> = Object.create(null);
    for (let k = 0; k < names.length; k++) params[names[k] as string] = values[k] as ParamValue;
    return { kind: 'found', value: this.value, params, route: this.route };
  }
}
