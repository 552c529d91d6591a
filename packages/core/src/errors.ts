import { BbwsError } from '@bbws/router';
import type { OffloadErrorCode } from './offload/offload-error.js';

/** Core's error table (docs/errors.md is generated from it); offload codes are in `OFFLOAD_ERRORS`. */
export const CORE_ERRORS = {
  BBWS_ERR_CONFIG_INVALID:
    'config.json or a `BBWS_*` variable has invalid values; one line per problem: key path, value, expectation',
  BBWS_ERR_CONFIG_READ: 'config.json cannot be read or is not JSON; names the file, line and column',
  BBWS_ERR_DECORATOR_MISUSE:
    'a decorator where it does not belong (a parameter decorator on a constructor, a route decorator on a field, `@Controller` on a method, a symbol-named method, `@Task` with a bad interval, `@ErrorHandler` outside 400..599, an empty `@UseGuards()`); names class and member',
  BBWS_ERR_TASK_INTERVAL:
    "`@Task` or `addTask` without a duration that says its unit (`{ seconds }` or `{ every: '60s' }`), or with the old millisecond `interval`; names the fix",
  BBWS_ERR_CONTROLLER_MISSING_DECORATOR: 'a class in `controllers` without `@Controller()`',
  BBWS_ERR_ROUTE_COMPOSITION:
    'a method selector cannot be joined with its controller prefix; names class and method',
  BBWS_ERR_PARAM_UNKNOWN:
    "`@Param(name)` names no placeholder of the route's template; names class, method and the placeholders there are",
  BBWS_ERR_SCHEMA_INVALID: '`@Body(x)` or `@Query(x)` where `x` is not a zod schema; names class and method',
  BBWS_ERR_DI_MISSING:
    'a constructor dependency cannot be resolved; gives the chain (`A → B → parameter #0`)',
  BBWS_ERR_DI_CIRCULAR: 'constructor dependencies form a cycle (`A → B → A`)',
  BBWS_ERR_APP_STATE:
    '`start()` twice, `start()` in adapter mode, `getController` of a class the app does not have, a stop while the processes of a cluster start',
  BBWS_ERR_CORS_INVALID:
    '`enableCors` with credentials and `*`, a malformed origin, method or header, or a bad `maxAge`',
  BBWS_ERR_LOG_LEVEL: 'an unknown logging level',
  BBWS_ERR_LOG_SCOPE: 'a logging scope that is not `ip:port::domain`',
  BBWS_ERR_CLUSTER_CHILD_START:
    'with `processes` > 1, a child exited before its listeners were bound (its own error is logged above); the primary stops the others and `start()` rejects',
  BBWS_ERR_CLUSTER_CRASH_LOOP:
    'with `processes` > 1, one child died six times within a minute: the primary stops restarting it, stops every process and exits 1',
  BBWS_ERR_LOG_FILE: 'a log file cannot be opened (also a process warning when a file fails later)',
} as const;

/** Stable codes of core's errors: the keys of {@link CORE_ERRORS} and the offload codes. */
export type CoreErrorCode = keyof typeof CORE_ERRORS | OffloadErrorCode;

/** A core failure with a stable `code`; the message names the offending key, class or method. */
export class CoreError extends BbwsError {
  override readonly name: string = 'CoreError';
  declare readonly code: CoreErrorCode;
  constructor(code: CoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
