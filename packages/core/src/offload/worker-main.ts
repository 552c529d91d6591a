/**
 * The script every pool worker runs: it re-imports the app's entry module (which builds the
 * same app, with the same routes in the same order), finds that app, and serves the calls the
 * main thread posts. `app.start()` in here registers instead of listening.
 * @see docs/worker-pool.md
 */
import { servePoolJobs } from '@bbws/transport';
import { OffloadError } from './offload-error.js';
import { poolWorkerData, workerAppAt } from './worker-mode.js';

const data = poolWorkerData;
if (data === null) {
  throw new OffloadError('BBWS_ERR_OFFLOAD_NO_APP', 'worker-main.js runs only as a bbwebservice pool worker');
}
await import(data.entry);
const app = workerAppAt(data.entry, data.ordinal);
if (app === undefined) {
  throw new OffloadError(
    'BBWS_ERR_OFFLOAD_NO_APP',
    `the entry module ${data.entry} created no app number ${data.ordinal} in the worker; pass createApp({ entry }) the module that builds the app at import`,
  );
}
if (app.routeCount !== data.routeCount) {
  throw new OffloadError(
    'BBWS_ERR_OFFLOAD_ROUTE_MISMATCH',
    `the entry module ${data.entry} built an app with ${app.routeCount} routes in the worker, ${data.routeCount} in the main thread`,
  );
}
servePoolJobs((payload) => app.dispatch(payload));
