/**
 * The script every pool worker runs: it imports the module the app named
 * (`createApp({ worker: { module, export } })`), calls the export to build the same app (same
 * controllers in the same order, so route numbers agree) and serves the calls the main thread
 * posts. It never imports the entry script. @see docs/worker-pool.md
 */
import { register } from 'node:module';
import { isMainThread, workerData } from 'node:worker_threads';
import { servePoolJobs } from '@bbws/transport';
import { OffloadError } from './offload-error.js';
import { adoptPoolWorkerData, workerSideOf } from './worker-mode.js';

const data = isMainThread ? null : adoptPoolWorkerData(workerData);
if (data === null) {
  throw new OffloadError('BBWS_ERR_OFFLOAD_NO_APP', 'worker-main.js runs only as a bbwebservice pool worker');
}
if (data.tsPort !== null) {
  register('./ts-hooks.js', {
    parentURL: import.meta.url,
    data: { port: data.tsPort },
    transferList: [data.tsPort],
  });
}
const exports = (await import(data.module)) as Record<string, unknown>;
const exported = exports[data.export];
if (exported === undefined) {
  throw new OffloadError(
    'BBWS_ERR_OFFLOAD_NO_APP',
    `the worker module ${data.module} has no export "${data.export}" (createApp({ worker: { module, export } }))`,
  );
}
const built: unknown = typeof exported === 'function' ? await (exported as () => unknown)() : exported;
const side = workerSideOf(built);
if (side === undefined) {
  throw new OffloadError(
    'BBWS_ERR_OFFLOAD_NO_APP',
    `export "${data.export}" of ${data.module} gave no app built in this worker (a function that returns createApp(...), or the app)`,
  );
}
const mismatch = firstDifference(side.routes, data.routes);
if (mismatch !== null) {
  throw new OffloadError(
    'BBWS_ERR_OFFLOAD_ROUTE_MISMATCH',
    `export "${data.export}" of ${data.module} built an app with other routes in the worker (${side.routes.length}) than in the main thread (${data.routes.length}): ${mismatch}`,
  );
}
servePoolJobs(side.dispatch);

function firstDifference(worker: readonly string[], main: readonly string[]): string | null {
  for (let i = 0; i < Math.max(worker.length, main.length); i++) {
    if (worker[i] !== main[i])
      return `route ${i} is ${worker[i] ?? 'missing'} here, ${main[i] ?? 'missing'} there`;
  }
  return null;
}
