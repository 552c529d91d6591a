import { type AppOptions, createApp } from 'bbwebservice';
import { HelloController } from './hello-controller.js';

/** The app; tests build it with their own config and providers. */
export function buildApp(options: Partial<AppOptions> = {}) {
  return createApp({ controllers: [HelloController], ...options });
}
