import { type TaskSchedule, taskIntervalMs } from '../tasks/task-schedule.js';
import { controllerMetadata } from './metadata.js';
import { methodName } from './method-name.js';

/**
 * Options of {@link Task}: how often, with its unit (`{ seconds: 60 }` or `{ every: '60s' }`),
 * and whether to run once right at start (default false).
 */
export type TaskOptions = TaskSchedule & {
  /** Run once right at start (default false). */
  readonly runOnStart?: boolean;
  /**
   * With `processes` > 1, run in every process instead of process 1 only (default false): for
   * work on the process's own state, such as clearing its in-memory cache.
   * @see docs/processes.md#tasks
   */
  readonly everyProcess?: boolean;
};

/**
 * Runs the method in the background while the app is started, every `seconds` or `every`
 * (`'500ms'`, `'60s'`, `'5m'`, `'1h'`): the seed's `server_task`, whose interval is seconds too.
 * The method has the controller's injected services. A run never overlaps the previous one.
 * Stopped on `app.stop()`. With `processes` > 1 it runs in process 1 only, unless
 * `everyProcess` is set.
 * @throws CoreError `BBWS_ERR_TASK_INTERVAL` for the old `{ interval }` (milliseconds), a
 *   duration without its unit, or an interval that is not positive
 * @see docs/controllers.md#background-tasks
 */
export function Task(options: TaskOptions): MethodDecorator {
  const intervalMs = taskIntervalMs(options, '@Task');
  return (target, propertyKey) => {
    const name = methodName('@Task', target, propertyKey);
    controllerMetadata(target.constructor).tasks.push({
      intervalMs,
      runOnStart: options.runOnStart ?? false,
      everyProcess: options.everyProcess ?? false,
      propertyKey: name,
    });
  };
}
