import { type App, type ConfigInput, createApp } from 'bbwebservice';
import { HelloController } from './hello-controller.js';

/**
 * Builds the app; main.ts starts it, tests build their own. Nothing runs on import, so the
 * worker threads of `@Offload()` routes can import this module too: `worker` names it.
 */
export function buildApp(config?: ConfigInput): App {
  return createApp({
    controllers: [HelloController],
    config,
    worker: { module: import.meta.url, export: 'buildApp' },
  });
}
