import { OffloadError } from '../offload/offload-error.js';
import { dispatchCall } from '../offload/worker-dispatcher.js';
import { registerWorkerSide } from '../offload/worker-mode.js';
import { bodyStreamPolicy } from '../uploads/body-stream-policy.js';
import type { App } from './app.js';
import type { AppPlan } from './compile-app.js';
import type { Lifecycle } from './lifecycle.js';
import type { Pipeline } from './pipeline.js';

/**
 * What the rest of an app takes from its compiled plan, once: the body stream policy for the
 * transport, the tasks for the lifecycle, and in a pool worker the dispatcher of offloaded calls.
 * @throws OffloadError `BBWS_ERR_OFFLOAD_NO_WORKER_MODULE` when a route is offloaded and the
 *   app names no module for its workers to build it from
 */
export function adoptPlan(plan: AppPlan, app: App, life: Lifecycle, pipeline: Pipeline): void {
  // Only an app with an upload route streams bodies: the others' heads pay one null check.
  if (plan.plans.some((route) => route.bodyStreamLimit >= 0))
    app.handle.bodyStreamLimit = bodyStreamPolicy(plan.router);
  for (const task of plan.tasks) life.tasks.add(task);
  if (plan.offloadedNames.length > 0 && !life.hasWorkerModule) {
    throw new OffloadError(
      'BBWS_ERR_OFFLOAD_NO_WORKER_MODULE',
      `${plan.offloadedNames.join(', ')} run in the worker pool, so the app must name what workers load to build it: createApp({ worker: { module: import.meta.url, export: 'createMyApp' } }) in the module that exports the factory (or handler_placement "inline-only" to run them inline)`,
    );
  }
  if (life.isPoolWorker) {
    registerWorkerSide(app, {
      routes: plan.routeNames,
      dispatch: (payload) =>
        dispatchCall(plan.plans, payload, (sink, error) => pipeline.lastResort(sink, error)),
    });
  }
}
