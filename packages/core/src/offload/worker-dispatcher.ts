import type { JobResult, ResponseSink } from '@bbws/transport';
import type { RouteTarget } from '../app/route-plan.js';
import { OffloadError } from './offload-error.js';
import { type OffloadCall, requestOf } from './offload-messages.js';
import { ReplySink } from './reply-sink.js';

/** What the worker does with an error thrown past a plan (plans answer their own errors). */
export type LastResort = (sink: ResponseSink, error: unknown) => void;

/**
 * Runs one offloaded call in a worker: the whole route plan (hooks, guards, parameters,
 * validation, result mapping, error pages) against a {@link ReplySink}, so the main thread only
 * writes what comes back. Resolves when the plan has answered.
 */
export function dispatchCall(
  plans: readonly RouteTarget[],
  payload: unknown,
  lastResort: LastResort,
): Promise<JobResult> {
  const call = payload as OffloadCall;
  const plan = plans[call.route];
  if (plan === undefined) {
    return Promise.reject(
      new OffloadError(
        'BBWS_ERR_OFFLOAD_ROUTE_MISMATCH',
        `worker has ${plans.length} routes, main thread asked for route ${call.route} (${call.method} ${call.path}): the worker module must build the same app in every thread`,
      ),
    );
  }
  return new Promise<JobResult>((resolve) => {
    const sink = new ReplySink((value, transfer) => resolve({ value, transfer }));
    try {
      plan.invoke(requestOf(call), call.params, sink);
    } catch (error) {
      lastResort(sink, error);
    }
  });
}
