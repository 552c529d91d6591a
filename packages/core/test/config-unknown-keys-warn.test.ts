import { describe, expect, it } from 'vitest';
import { parseConfig, resolveConfig } from '../src/config/index.js';

describe('unknown config keys', () => {
  it('are returned as warnings with their key path, and the config still loads', () => {
    const { config, warnings } = resolveConfig({
      object: {
        max_threads: 10,
        future_seed_key: true,
        server: [{ port: 1, colour: 'red', host: [{ host: 'a', cert_path: 'c', key_path: 'k', ocsp: 1 }] }],
        log: { levels: ['info'], rotate: 'daily', files: [{ path: 'x.log', keep: 3 }] },
      },
      env: {},
    });
    expect(config.max_threads).toBe(10);
    expect(warnings).toEqual([
      'future_seed_key: unknown key, ignored (a key of a newer version, or a typo?)',
      'server[0].colour: unknown key, ignored (a key of a newer version, or a typo?)',
      'server[0].host[0].ocsp: unknown key, ignored (a key of a newer version, or a typo?)',
      'log.rotate: unknown key, ignored (a key of a newer version, or a typo?)',
      'log.files[0].keep: unknown key, ignored (a key of a newer version, or a typo?)',
    ]);
  });

  it('are dropped from the validated config', () => {
    const config = parseConfig({ future_seed_key: true, server: [{ colour: 'red' }] });
    expect('future_seed_key' in config).toBe(false);
    expect('colour' in (config.server[0] ?? {})).toBe(false);
  });

  it('include the top-level listener keys of old configs, which are moved into server[0]', () => {
    const { config, warnings } = resolveConfig({
      object: { ip: '127.0.0.1', port: 8000, queue_size: 10, SSL: false, cert_path: '', key_path: '' },
      env: {},
    });
    expect(config.server).toEqual([expect.objectContaining({ ip: '127.0.0.1', port: 8000, queue_size: 10 })]);
    expect(warnings).toEqual([
      'ip, port, queue_size, SSL, cert_path, key_path: top-level listener keys (older config format) moved into server[0]',
    ]);
  });
});
