import { describe, expect, it } from 'vitest';
import { RestartPolicy } from '../src/cluster/restart-policy.js';
import { TaskRunner } from '../src/tasks/task-runner.js';

describe('the cluster primary restart policy', () => {
  it('doubles the wait for each death within a minute, and gives up on the sixth', () => {
    const policy = new RestartPolicy();
    const delays = [0, 1000, 2000, 3000, 4000].map((at) => policy.onDeath(at));
    expect(delays).toEqual([100, 200, 400, 800, 1600]);
    expect(policy.onDeath(5000)).toBeNull();
  });

  it('forgets deaths older than a minute', () => {
    const policy = new RestartPolicy();
    for (const at of [0, 1000, 2000, 3000, 4000]) policy.onDeath(at);
    // 60.5 s after the first: the first has left the window, so this is the fifth, not the sixth.
    expect(policy.onDeath(60_500)).toBe(1600);
    expect(policy.recentDeaths(60_500)).toBe(5);
    expect(policy.onDeath(200_000)).toBe(100);
  });
});

describe('task placement', () => {
  it('a process other than process 1 runs only the tasks marked everyProcess', async () => {
    const runner = new TaskRunner(() => {});
    const noop = () => {};
    runner.add({ name: 'once', intervalMs: 60_000, runOnStart: false, run: noop });
    runner.add({ name: 'every', intervalMs: 60_000, runOnStart: false, everyProcess: true, run: noop });
    runner.start(false);
    runner.add({ name: 'late-once', intervalMs: 60_000, runOnStart: false, run: noop });
    expect(runner.scheduledNames).toEqual(['every']);
    await runner.stop();
    const first = new TaskRunner(() => {});
    first.add({ name: 'once', intervalMs: 60_000, runOnStart: false, run: noop });
    first.start(true);
    expect(first.scheduledNames).toEqual(['once']);
    await first.stop();
  });
});
