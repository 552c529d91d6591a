import type { Endpoint } from '../endpoint.js';
import { alternativeIpForm } from '../selector/ip-address.js';
import type { Leaf } from './leaf.js';
import { RouteNode } from './route-node.js';

/** Routes without placeholders of one path length that {@link Binding.staticLeaf} compares one by one. */
const MAX_STATIC_PER_LENGTH = 8;

/** The routes of one method bound to one ip/port/domain combination. @internal */
export class Binding<T> {
  /** The tree of this binding's templates; its root stands for the path's leading `/`. */
  readonly root = new RouteNode<Leaf<T>>();
  /**
   * Routes without placeholders by the length of their path: their canonical path and leaf,
   * alternately. A path equal to one of them reaches that leaf in the tree too (the tree tries
   * static text first, node by node), so comparing whole strings (one `===`, no hashing) gives
   * the tree's answer for less than walking it char by char. `null`: more routes of that length
   * than {@link MAX_STATIC_PER_LENGTH}, left to the tree.
   */
  readonly #staticByLength: Array<Array<string | Leaf<T>> | null | undefined> = [];
  /** The same IP in its other form (IPv4 `1.2.3.4` and IPv4-mapped `::ffff:1.2.3.4`). */
  readonly ipAlternative: string | null;
  /** IP 4, port 2, domain 1: a higher score is more specific. */
  readonly score: number;

  constructor(
    readonly ip: string | null,
    readonly port: number | null,
    readonly domain: string | null,
  ) {
    this.score = (ip === null ? 0 : 4) + (port === null ? 0 : 2) + (domain === null ? 0 : 1);
    this.ipAlternative = ip === null ? null : alternativeIpForm(ip);
  }

  /** Records a route without placeholders (already in the tree) under its canonical path. */
  addStatic(path: string, leaf: Leaf<T>): void {
    const byLength = this.#staticByLength;
    while (byLength.length <= path.length) byLength.push(undefined);
    const bucket = byLength[path.length];
    if (bucket === null) return;
    if (bucket === undefined) byLength[path.length] = [path, leaf];
    else if (bucket.length < 2 * MAX_STATIC_PER_LENGTH) bucket.push(path, leaf);
    else byLength[path.length] = null;
  }

  /**
   * The leaf of the route without placeholders whose path is `path`; `undefined` when there is
   * none, or when routes of its length are left to the tree.
   * Hot.
   */
  staticLeaf(path: string): Leaf<T> | undefined {
    const bucket = this.#staticByLength[path.length];
    if (bucket == null) return undefined;
    for (let k = 0; k < bucket.length; k += 2) {
      if (bucket[k] === path) return bucket[k + 1] as Leaf<T>;
    }
    return undefined;
  }

  applies(endpoint: Endpoint): boolean {
    return (
      (this.ip === null || this.ip === endpoint.ip || this.ipAlternative === endpoint.ip) &&
      (this.port === null || this.port === endpoint.port) &&
      (this.domain === null || this.domain === endpoint.domain)
    );
  }
}

/** All routes of one method: bindings from most to least specific. @internal */
export class MethodTable<T> {
  bindings: Binding<T>[] = [];

  bindingFor(ip: string | null, port: number | null, domain: string | null): Binding<T> {
    for (const b of this.bindings) if (b.ip === ip && b.port === port && b.domain === domain) return b;
    const binding = new Binding<T>(ip, port, domain);
    this.bindings = [...this.bindings, binding].sort((a, b) => b.score - a.score);
    return binding;
  }
}
