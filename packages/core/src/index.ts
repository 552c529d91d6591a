/**
 * @packageDocumentation
 * `@bbws/core`: controllers and decorators, DI wiring (tsyringe), the App lifecycle, config,
 * CORS, tasks and metrics. See docs/controllers.md.
 */
// First, so the Reflect polyfill is in place before any decorator runs.
import './di/tsyringe.js';

export { BbwsError } from '@bbws/router';
export { type FetchAdapterOptions, toFetchHandler } from './adapter/fetch-adapter.js';
export { toNodeListener } from './adapter/node-adapter.js';
export {
  APP,
  App,
  type AppOptions,
  createApp,
  type ProviderEntry,
  REQUEST_CONTEXT,
  type StartOptions,
} from './app/app.js';
export type { ResponseListener } from './app/observing-sink.js';
export type { MultipartBody, UploadedFile } from './app/parse-body.js';
export { RequestContext } from './app/request-context.js';
export { ResponseHead } from './app/response-head.js';
export type { BeforeHook } from './app/route-plan.js';
export * from './config/index.js';
export type { CorsOptions, CorsSettings } from './cors/cors.js';
export { Controller, type ControllerOptions } from './decorators/controller.js';
export { ErrorHandler, type ErrorHandlerOptions } from './decorators/error-handler.js';
export type { ControllerClass, ControllerScope, Guard, GuardClass } from './decorators/metadata.js';
export { Offload } from './decorators/offload.js';
export { Body, Cookie, Ctx, Header, Param, Query, Req, Res, Upload } from './decorators/params.js';
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
export { Task, type TaskOptions } from './decorators/task.js';
export { UseGuards } from './decorators/use-guards.js';
export { CoreError, type CoreErrorCode } from './errors.js';
export type { Readiness } from './health/health-endpoints.js';
export { HttpError, ValidationError, type ValidationIssue } from './http-error.js';
export * from './logging/index.js';
export { OffloadError, type OffloadErrorCode } from './offload/offload-error.js';
export type { WorkerModuleOptions } from './offload/worker-mode.js';
export type { DurationText, TaskSchedule } from './tasks/task-schedule.js';
export {
  type UploadField,
  type UploadFile,
  type UploadLimits,
  type UploadPart,
  UploadStream,
} from './uploads/upload-stream.js';
