import type { Router } from '@bbws/router';
import type { BodyStreamPolicy } from '@bbws/transport';
import type { ParamSource } from '../decorators/metadata.js';

/** What the policy needs of a route: the most bytes its streamed body may have, or -1. */
interface StreamingTarget {
  readonly bodyStreamLimit?: number;
}

/**
 * The most bytes a route's body may have when it streams (it has an `@Upload()` parameter):
 * its `maxTotalBytes`, else `defaultMaxBytes`; -1 when the route buffers its body.
 */
export function bodyStreamLimitOf(
  sources: readonly (ParamSource | undefined)[],
  defaultMaxBytes: () => number,
): number {
  for (const source of sources) {
    if (source?.kind === 'upload') return source.limits.maxTotalBytes ?? defaultMaxBytes();
  }
  return -1;
}

/**
 * Tells the transport, per request head with a body, whether its route streams the body:
 * one route match, only for requests with a body, only in apps that have an upload route.
 * @see docs/architecture.md
 */
export function bodyStreamPolicy<T extends object>(router: Router<T>): BodyStreamPolicy {
  return (method, path, endpoint) => {
    const match = router.match(method, path, endpoint);
    return match.kind === 'found' ? ((match.value as StreamingTarget).bodyStreamLimit ?? -1) : -1;
  };
}
