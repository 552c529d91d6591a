import { describe, expect, it } from 'vitest';
import {
  effectiveServerConfig,
  effectiveServerConfigs,
  OVERRIDABLE_LIMITS,
  parseConfig,
  resolveConfig,
} from '../src/config/index.js';
import { CoreError } from '../src/errors.js';

describe('per-server limits', () => {
  const config = parseConfig({
    max_body_size: 1000,
    handler_timeout: 5,
    max_connections: 500,
    worker_timeout_threshold: 0.25,
    server: [{ port: 1, max_body_size: 10, handler_timeout: 0.5 }, { port: 2 }],
  });

  it('take the server entry value when it sets one, else the global value', () => {
    const [first, second] = effectiveServerConfigs(config);
    expect(first?.max_body_size).toBe(10);
    expect(first?.handler_timeout).toBe(0.5);
    expect(first?.max_connections).toBe(500);
    expect(second?.max_body_size).toBe(1000);
    expect(second?.handler_timeout).toBe(5);
    expect(second?.worker_timeout_threshold).toBe(0.25);
  });

  it('are all filled in, for every overridable key', () => {
    for (const server of effectiveServerConfigs(config)) {
      for (const key of OVERRIDABLE_LIMITS) expect(server[key], key).toBeTypeOf('number');
    }
  });

  it('keep the listener keys of the entry', () => {
    expect(effectiveServerConfig(config, 1)).toMatchObject({
      port: 2,
      ip: 'default',
      SSL: false,
      queue_size: 32,
    });
  });

  it('come back resolved from resolveConfig', () => {
    const { servers } = resolveConfig({
      object: { max_threads: 7, server: [{}, { max_threads: 3 }] },
      env: {},
    });
    expect(servers.map((s) => s.max_threads)).toEqual([7, 3]);
  });

  it('fail for an entry that does not exist', () => {
    expect(() => effectiveServerConfig(config, 2)).toThrow(CoreError);
  });
});
