import { afterEach, describe, expect, it, vi } from 'vitest';
import { Controller, CoreError, createApp, Task } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

const noListeners = { server: [] };

/** Runs of a task scheduled with `options`, after `ms` of fake time. */
async function runsAfter(options: Parameters<typeof Task>[0], ms: number): Promise<number> {
  let runs = 0;
  @Controller()
  class Ticking {
    @Task(options)
    tick() {
      runs++;
    }
  }
  vi.useFakeTimers();
  const app = createApp({ controllers: [Ticking], config: noListeners });
  await app.start({ handleSignals: false });
  await vi.advanceTimersByTimeAsync(ms);
  await app.stop();
  return runs;
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof CoreError ? error.code : `not a CoreError: ${String(error)}`;
  }
  return undefined;
}

describe('@Task durations say their unit', () => {
  it('{ seconds: 60 } runs once a minute, like the seed’s server_task(func, 60)', async () => {
    expect(await runsAfter({ seconds: 60 }, 59_999)).toBe(0);
    expect(await runsAfter({ seconds: 60 }, 180_000)).toBe(3);
  });

  it('{ seconds: 0.5 } takes fractions', async () => {
    expect(await runsAfter({ seconds: 0.5 }, 1_000)).toBe(2);
  });

  it.each([
    ['500ms', 1_000, 2],
    ['60s', 120_000, 2],
    ['2m', 240_000, 2],
    ['1h', 7_200_000, 2],
    ['1.5s', 3_000, 2],
  ])('{ every: %j } is a duration with its unit', async (every, ms, runs) => {
    expect(await runsAfter({ every: every as '1s' }, ms)).toBe(runs);
  });

  it('the old millisecond option { interval: 60000 } fails loudly with BBWS_ERR_TASK_INTERVAL', () => {
    const old = { interval: 60_000 } as unknown as Parameters<typeof Task>[0];
    expect(codeOf(() => Task(old))).toBe('BBWS_ERR_TASK_INTERVAL');
    expect(() => Task(old)).toThrow(/interval.*milliseconds.*\{ seconds: 60 \}.*every: '60s'/);
  });

  it.each([
    ['a bare number in every', { every: 60_000 }],
    ['a string without a unit', { every: '60' }],
    ['an unknown unit', { every: '60 sec' }],
    ['zero', { seconds: 0 }],
    ['a negative number', { seconds: -1 }],
    ['not a number', { seconds: '60' }],
    ['both', { seconds: 1, every: '1s' }],
    ['neither', {}],
    ['longer than a timer can wait (24.8 days)', { every: '1000h' }],
  ])('refuses %s with BBWS_ERR_TASK_INTERVAL', (_what, options) => {
    expect(codeOf(() => Task(options as Parameters<typeof Task>[0]))).toBe('BBWS_ERR_TASK_INTERVAL');
  });
});

describe('app.addTask durations say their unit', () => {
  it('takes { seconds } or { every } with name and runOnStart', async () => {
    vi.useFakeTimers();
    let runs = 0;
    const app = createApp({ controllers: [], config: noListeners });
    app.addTask(() => runs++, { every: '100ms', runOnStart: true, name: 'count' });
    app.addTask(() => runs++, { seconds: 1 });
    await app.start({ handleSignals: false });
    await vi.advanceTimersByTimeAsync(1_000);
    await app.stop();
    expect(runs).toBe(11 + 1);
  });

  it('the old addTask(run, 30000) fails loudly instead of meaning 30000 seconds', () => {
    const app = createApp({ controllers: [], config: noListeners });
    const old = 30_000 as unknown as { seconds: number };
    expect(codeOf(() => app.addTask(() => {}, old))).toBe('BBWS_ERR_TASK_INTERVAL');
    expect(() => app.addTask(() => {}, old)).toThrow(/\{ seconds: 30 \}/);
  });
});
