import { CoreError } from '../errors.js';

/** A duration with its unit: `'500ms'`, `'60s'`, `'5m'`, `'1h'` (fractions allowed: `'1.5s'`). */
export type DurationText = `${number}${'ms' | 's' | 'm' | 'h'}`;

/**
 * How often a task runs: `{ seconds: 60 }` (the unit of the seed's `server_task` and of the
 * config) or `{ every: '60s' }`. The unit is always written down, so a millisecond count
 * cannot pass for seconds. @see docs/controllers.md#background-tasks
 */
export type TaskSchedule =
  | { readonly seconds: number; readonly every?: never }
  | { readonly every: DurationText; readonly seconds?: never };

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const MS_PER_UNIT: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** setTimeout holds a signed 32-bit count of ms; a longer delay fires after 1 ms instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The interval of a schedule in milliseconds, checked.
 * @param where the caller, for the message (`@Task`, `addTask`)
 * @throws CoreError `BBWS_ERR_TASK_INTERVAL` for the old `{ interval }` (milliseconds) or a bare
 *   number, a duration without a known unit, both or neither of `seconds`/`every`, a value that
 *   is not positive, or one longer than a timer can wait (about 24.8 days)
 */
export function taskIntervalMs(schedule: unknown, where: string): number {
  if (typeof schedule === 'number') {
    fail(
      `${where}(run, ${schedule}) is the old millisecond form; the unit is now written down: { seconds: ${schedule / 1000} } or { every: '${schedule}ms' }`,
    );
  }
  if (schedule === null || typeof schedule !== 'object') fail(`${where} needs { seconds } or { every }`);
  const { seconds, every, interval } = schedule as { seconds?: unknown; every?: unknown; interval?: unknown };
  if (interval !== undefined) {
    const hint = typeof interval === 'number' ? interval / 1000 : '<n>';
    fail(
      `${where}: interval was milliseconds and is gone; write { seconds: ${hint} } or { every: '${hint}s' } (got interval: ${JSON.stringify(interval)})`,
    );
  }
  if (seconds !== undefined && every !== undefined) fail(`${where}: give seconds or every, not both`);
  let ms: number;
  if (seconds !== undefined) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
      fail(`${where}: seconds must be a positive number, got ${JSON.stringify(seconds)}`);
    }
    ms = seconds * 1000;
  } else if (every !== undefined) {
    const match = typeof every === 'string' ? DURATION.exec(every) : null;
    if (match === null) {
      fail(
        `${where}: every must be a duration with its unit ('500ms', '60s', '5m', '1h'), got ${JSON.stringify(every)}${typeof every === 'number' ? `; for a number of seconds write { seconds: ${every} }` : ''}`,
      );
    }
    ms = Number(match[1]) * (MS_PER_UNIT[match[2] as string] as number);
    if (ms <= 0) fail(`${where}: every must be longer than 0, got ${JSON.stringify(every)}`);
  } else {
    fail(`${where} needs { seconds: 60 } or { every: '60s' }`);
  }
  if (ms > MAX_TIMER_MS)
    fail(`${where}: ${ms} ms is longer than a timer can wait (${MAX_TIMER_MS} ms, about 24.8 days)`);
  return Math.max(1, Math.round(ms));
}

function fail(message: string): never {
  throw new CoreError('BBWS_ERR_TASK_INTERVAL', message);
}
