import { type AppOptions, createApp } from 'bbwebservice';
import { HelloController } from './hello-controller.js';

/** The quickstart app; `config` defaults to config/config.json in the working directory. */
export function quickstartApp(config?: AppOptions['config']) {
  return createApp({ controllers: [HelloController], ...(config === undefined ? {} : { config }) });
}
