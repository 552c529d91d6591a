import { afterEach, describe, expect, it, vi } from 'vitest';
import { Controller, CoreError, createApp, LogHub, Task } from '../src/index.js';

@Controller()
class TaskController {
  static runs = 0;
  @Task({ seconds: 1 })
  tick() {
    TaskController.runs++;
  }
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const listenOnLoopback = { server: [{ ip: '127.0.0.1', port: 0 }] };

describe('tasks', () => {
  it('run every interval while started and stop on stop()', async () => {
    vi.useFakeTimers();
    TaskController.runs = 0;
    const app = createApp({ controllers: [TaskController], config: listenOnLoopback });
    await app.start({ handleSignals: false });
    await vi.advanceTimersByTimeAsync(3500);
    expect(TaskController.runs).toBe(3);
    await app.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(TaskController.runs).toBe(3);
  });

  it('app.addTask runs a function task; a failing run is logged and the task goes on', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const logger = new LogHub({ console: false, callback: (message) => lines.push(message) });
    let calls = 0;
    const app = createApp({ controllers: [], config: listenOnLoopback, logger });
    app.addTask(
      function flaky() {
        calls++;
        if (calls === 1) throw new Error('first run fails');
      },
      { every: '100ms', runOnStart: true },
    );
    await app.start({ handleSignals: false });
    await vi.advanceTimersByTimeAsync(250);
    expect(calls).toBe(3);
    // After the start's `listening on` line.
    expect(lines.filter((line) => line.startsWith('task '))[0]).toMatch(
      /^task flaky failed: Error: first run fails/,
    );
    await app.stop();
  });

  it('writes one time line per task run, with its name and duration, only while time is on', async () => {
    vi.useFakeTimers();
    const lines: Array<{ message: string; level: string }> = [];
    const logger = new LogHub({
      console: false,
      callback: (message, _at, level) => lines.push({ message, level }),
    });
    let calls = 0;
    const app = createApp({ controllers: [], config: listenOnLoopback, logger });
    app.addTask(
      function sweep() {
        calls++;
        if (calls === 2) throw new Error('second run fails');
      },
      { every: '100ms' },
    );
    await app.start({ handleSignals: false });
    await vi.advanceTimersByTimeAsync(150);
    expect(calls).toBe(1);
    expect(lines.filter((line) => line.level === 'time')).toEqual([]);
    logger.setLogging('time', true);
    await vi.advanceTimersByTimeAsync(200);
    expect(calls).toBe(3);
    // The callback sink gets a record with fields as its JSON text.
    const timeLines = lines
      .filter((line) => line.level === 'time')
      .map((line) => JSON.parse(line.message) as { msg: string; task: string; durationMs: number });
    expect(timeLines).toHaveLength(2);
    expect(timeLines[0]?.msg).toMatch(/^task sweep failed after \d+\.\d{3} ms$/);
    expect(timeLines[1]?.msg).toMatch(/^task sweep took \d+\.\d{3} ms$/);
    for (const line of timeLines) {
      expect(line.task).toBe('sweep');
      expect(line.durationMs).toBeGreaterThanOrEqual(0);
    }
    await app.stop();
  });

  it('refuses a non-positive interval', () => {
    expect(() => Task({ seconds: 0 })).toThrow(CoreError);
  });
});

describe('lifecycle', () => {
  it('start twice is a coded error; stop is idempotent', async () => {
    const app = createApp({ controllers: [], config: listenOnLoopback });
    await app.start({ handleSignals: false });
    await expect(app.start()).rejects.toMatchObject({ code: 'BBWS_ERR_APP_STATE' });
    await app.stop();
    await app.stop();
  });

  it('refuses start() in adapter runtime mode, naming the mode', async () => {
    const app = createApp({ controllers: [], config: { ...listenOnLoopback, runtime_mode: 'wsgi' } });
    await expect(app.start()).rejects.toThrow(/runtime_mode=(wsgi|adapter) disables app.start\(\)/);
  });

  it('removes its signal handlers on stop', async () => {
    const before = process.listenerCount('SIGTERM');
    const app = createApp({ controllers: [], config: listenOnLoopback });
    await app.start();
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    await app.stop();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
