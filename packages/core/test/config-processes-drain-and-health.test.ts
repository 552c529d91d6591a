import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/index.js';
import { CoreError } from '../src/errors.js';
import { createApp } from '../src/index.js';

function problemsOf(object: Record<string, unknown>, env: Record<string, string> = {}): string[] {
  try {
    resolveConfig({ object, env });
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('BBWS_ERR_CONFIG_INVALID');
    return (error as CoreError).message
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
  }
  throw new Error('expected the config to be rejected');
}

const PROCESSES = 'expected a whole number >= 1, or "auto" (one process per core)';
const HEALTH_PATH =
  'expected a path starting with "/" (or a selector such as "127.0.0.1:9000::/healthz"), or false';

describe('processes, drain_delay and health in config.json', () => {
  it('default to one process, no drain delay, /healthz and /readyz', () => {
    const { config } = resolveConfig({ object: {}, env: {} });
    expect(config.processes).toBe(1);
    expect(config.drain_delay).toBe(0);
    expect(config.health).toEqual({ live: '/healthz', ready: '/readyz' });
  });

  it('"auto" is the number of cores; health moves or turns off', () => {
    const { config } = resolveConfig({
      object: {
        processes: 'auto',
        drain_delay: 2.5,
        health: { ready: '127.0.0.1:9000::/ready', live: false },
      },
      env: {},
    });
    expect(config.processes).toBe(availableParallelism());
    expect(config.drain_delay).toBe(2.5);
    expect(config.health).toEqual({ live: false, ready: '127.0.0.1:9000::/ready' });
    expect(resolveConfig({ object: { health: false }, env: {} }).config.health).toEqual({
      live: false,
      ready: false,
    });
  });

  it('refuses 0, "many", 1.5 processes, a negative drain delay and a health path without "/"', () => {
    expect(problemsOf({ processes: 0 })).toEqual([`processes: got 0, ${PROCESSES}`]);
    expect(problemsOf({ processes: 'many' })).toEqual([`processes: got "many", ${PROCESSES}`]);
    expect(problemsOf({ processes: 1.5 })).toEqual([`processes: got 1.5, ${PROCESSES}`]);
    expect(problemsOf({ processes: '4' })).toEqual([`processes: got "4", ${PROCESSES}`]);
    expect(problemsOf({ drain_delay: -1 })).toEqual([
      'drain_delay: got -1, expected a number of seconds >= 0',
    ]);
    expect(problemsOf({ drain_delay: '5s' })).toEqual([
      'drain_delay: got "5s", expected a number of seconds >= 0',
    ]);
    expect(problemsOf({ health: { ready: 'readyz' } })).toEqual([
      `health.ready: got "readyz", ${HEALTH_PATH}`,
    ]);
    expect(problemsOf({ health: true })).toEqual([
      'health: got true, expected false, or an object { live, ready } (each a path or false)',
    ]);
  });

  it('BBWS_PROCESSES, BBWS_DRAIN_DELAY and BBWS_HEALTH override the file', () => {
    const env = { BBWS_PROCESSES: '3', BBWS_DRAIN_DELAY: '5', BBWS_HEALTH: 'off' };
    const { config, warnings } = resolveConfig({ object: { processes: 1 }, env });
    expect(config.processes).toBe(3);
    expect(config.drain_delay).toBe(5);
    expect(config.health).toEqual({ live: false, ready: false });
    expect(warnings).toEqual([]);
    expect(resolveConfig({ object: {}, env: { BBWS_PROCESSES: 'auto' } }).config.processes).toBe(
      availableParallelism(),
    );
    expect(resolveConfig({ object: {}, env: { BBWS_HEALTH: '{"live":"/live"}' } }).config.health).toEqual({
      live: '/live',
      ready: '/readyz',
    });
  });

  it('names the variable when its value is bad, and ignores the index the primary sets', () => {
    expect(problemsOf({}, { BBWS_PROCESSES: 'many' })).toEqual([
      `BBWS_PROCESSES (processes): got "many", ${PROCESSES}`,
    ]);
    expect(problemsOf({}, { BBWS_DRAIN_DELAY: '-1' })).toEqual([
      'BBWS_DRAIN_DELAY (drain_delay): got -1, expected a number of seconds >= 0',
    ]);
    expect(problemsOf({}, { BBWS_HEALTH: 'yes' })).toEqual([
      'BBWS_HEALTH (health): got "yes", expected false, or a JSON object',
    ]);
    expect(resolveConfig({ object: {}, env: { BBWS_PROCESS_INDEX: '2' } }).warnings).toEqual([]);
  });

  it('the programmatic config takes the same keys and the same errors', () => {
    const app = createApp({ controllers: [], config: { processes: 1, drain_delay: 1 }, env: {} });
    expect(app.config.drain_delay).toBe(1);
    expect(app.processIndex).toBe(1);
    expect(() => createApp({ controllers: [], config: { processes: 0 }, env: {} })).toThrow(
      /processes: got 0, expected a whole number >= 1/,
    );
  });
});
