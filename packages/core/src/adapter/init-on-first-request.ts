import type { App } from '../app/app.js';

/**
 * What an adapter calls on each request: in `runtime_mode=adapter` the first request calls
 * `app.init()` (tasks, worker pool) unless the host already did; afterwards it costs one
 * boolean test. With the socket config (tests drive an app through an adapter) it does nothing.
 */
export function initOnFirstRequest(app: App): () => void {
  let isDone = app.config.runtime_mode !== 'adapter';
  return () => {
    if (isDone) return;
    isDone = true;
    app.init().catch((error: unknown) => {
      // init() after stop() is the host's choice, not a failure to report.
      if ((error as { code?: unknown }).code !== 'BBWS_ERR_APP_STATE') {
        app.logger.log('app.init() failed', 'error', undefined, error);
      }
    });
  };
}
