/**
 * @packageDocumentation
 * Logging on pino with the seed's levels and scopes: {@link LogHub}, its DI token, and the
 * documented default hub. See docs/logging.md.
 */
export { defaultLogHub } from './default-log-hub.js';
export {
  type LoggingCallback,
  LogHub,
  type LogHubOptions,
  type LogMessage,
  type LogScopeInput,
  type SetLoggingOptions,
} from './log-hub.js';
export { LOG_LEVELS, LOGGING_OPTIONS, type LogLevel, PINO_LEVEL_VALUES } from './log-levels.js';
export type { FileSinkOptions, LogDestination } from './log-sinks.js';
export { LOG_HUB, registerLogHub } from './log-token.js';
