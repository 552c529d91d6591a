import type { Endpoint } from '../endpoint.js';
import { alternativeIpForm } from '../selector/ip-address.js';
import type { Leaf } from './leaf.js';
import { RouteNode } from './route-node.js';

/** The routes of one method bound to one ip/port/domain combination. @internal */
export class Binding<T> {
  /** The tree of this binding's templates; its root stands for the path's leading `/`. */
  readonly root = new RouteNode<Leaf<T>>();
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
