/**
 * The seed's logging levels (`LOGGING_OPTIONS` in the Python library), in order of severity.
 * Each is switched on or off on its own (not a threshold): see docs/logging.md.
 */
export const LOG_LEVELS = [
  'debug',
  'request',
  'response',
  'time',
  'info',
  'timeout',
  'warning',
  'error',
  'critical',
] as const;

/** One logging level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The seed's names for the levels: `setLogging(LOGGING_OPTIONS.DEBUG, true)` reads as it did
 * in Python.
 */
export const LOGGING_OPTIONS = Object.freeze({
  DEBUG: 'debug',
  REQUEST: 'request',
  RESPONSE: 'response',
  TIME: 'time',
  INFO: 'info',
  TIMEOUT: 'timeout',
  WARNING: 'warning',
  ERROR: 'error',
  CRITICAL: 'critical',
} as const satisfies Record<string, LogLevel>);

/**
 * pino level numbers. `debug`, `info`, `error` keep pino's numbers; `warning` and `critical`
 * take pino's `warn` and `fatal`; the seed-only levels sit between, so a pino tool filtering
 * by number keeps the severity order.
 */
export const PINO_LEVEL_VALUES: Readonly<Record<LogLevel, number>> = Object.freeze({
  debug: 20,
  request: 21,
  response: 22,
  time: 23,
  info: 30,
  timeout: 35,
  warning: 40,
  error: 50,
  critical: 60,
});

/** Bit of each level in a level mask (bit i = `LOG_LEVELS[i]`). */
export const LEVEL_BITS: Readonly<Record<LogLevel, number>> = Object.freeze(
  Object.fromEntries(LOG_LEVELS.map((level, i) => [level, 1 << i])) as Record<LogLevel, number>,
);

/** Mask with every level set. */
export const ALL_LEVELS_MASK = (1 << LOG_LEVELS.length) - 1;

/** Whether `value` names a level (lower case). */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(LEVEL_BITS, value);
}

/** The mask of a list of levels. */
export function levelMask(levels: Iterable<LogLevel>): number {
  let mask = 0;
  for (const level of levels) mask |= LEVEL_BITS[level];
  return mask;
}
