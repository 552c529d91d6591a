import type { OffloadErrorCode } from './offload/offload-error.js';

/** Stable codes of core's errors; see docs/errors.md. */
export type CoreErrorCode =
  | 'BBWS_ERR_CONFIG_INVALID'
  | 'BBWS_ERR_CONFIG_READ'
  | 'BBWS_ERR_LOG_LEVEL'
  | 'BBWS_ERR_LOG_SCOPE'
  | 'BBWS_ERR_LOG_FILE'
  | 'BBWS_ERR_DECORATOR_MISUSE'
  | 'BBWS_ERR_TASK_INTERVAL'
  | 'BBWS_ERR_CONTROLLER_MISSING_DECORATOR'
  | 'BBWS_ERR_APP_STATE'
  | 'BBWS_ERR_RESPONSE_HEADER'
  | 'BBWS_ERR_ROUTE_COMPOSITION'
  | 'BBWS_ERR_CORS_INVALID'
  | 'BBWS_ERR_DI_MISSING'
  | 'BBWS_ERR_DI_CIRCULAR'
  | OffloadErrorCode;

/** A core failure with a stable `code`; the message names the offending key, class or method. */
export class CoreError extends Error {
  override readonly name: string = 'CoreError';
  readonly code: CoreErrorCode;
  constructor(code: CoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
