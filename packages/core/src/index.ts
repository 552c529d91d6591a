/**
 * @packageDocumentation
 * `@bbws/core`: controllers and decorators, DI wiring (tsyringe), the App lifecycle and
 * config. See docs/controllers.md.
 */
import 'reflect-metadata';

export { App, type AppOptions, createApp, type ProviderEntry } from './app/app.js';
export type { RequestContext } from './app/request-context.js';
export { type Config, type ConfigInput, configSchema, type ServerConfig } from './config/config-schema.js';
export { loadConfigFile, parseConfig } from './config/load-config.js';
export { Controller } from './decorators/controller.js';
export type { ControllerClass } from './decorators/metadata.js';
export { Body, Ctx, Header, Param, Query } from './decorators/params.js';
export {
  Delete,
  Get,
  Head,
  Options,
  Patch,
  Post,
  Put,
  Route,
  type RouteOptions,
} from './decorators/route.js';
export { CoreError, type CoreErrorCode } from './errors.js';
