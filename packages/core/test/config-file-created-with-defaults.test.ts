import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, loadConfigFile, resolveConfig } from '../src/config/index.js';
import { CoreError } from '../src/errors.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bbws-config-'));
}

describe('config/config.json on first start', () => {
  it('is created with the documented defaults, directories included', () => {
    const file = join(tempDir(), 'config', 'config.json');
    const first = resolveConfig({ file, env: {} });
    expect(first.created).toBe(true);
    expect(existsSync(file)).toBe(true);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(defaultConfig())));
    expect(written.server).toEqual([
      {
        ip: 'default',
        port: 5000,
        queue_size: 32,
        SSL: false,
        host: '',
        cert_path: '',
        key_path: '',
        'https-redirect': false,
        'https-redirect-escape-paths': [],
        'update-cert-state': false,
        proxy_protocol: false,
      },
    ]);
    expect(written.runtime_mode).toBe('socket');
    expect(written.handler_placement).toBe('inline');
    expect(written.dev_mode).toBe(false);
    expect(first.config).toEqual(defaultConfig());
  });

  it('is read, not rewritten, on the next start', () => {
    const file = join(tempDir(), 'config.json');
    resolveConfig({ file, env: {} });
    const second = resolveConfig({ file, env: {} });
    expect(second.created).toBe(false);
    expect(second.warnings).toEqual([]);
    expect(loadConfigFile(file)).toEqual(second.config);
  });

  it('is not created when createIfMissing is false', () => {
    const file = join(tempDir(), 'config.json');
    let error: unknown;
    try {
      resolveConfig({ file, env: {}, createIfMissing: false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('BBWS_ERR_CONFIG_READ');
    expect((error as CoreError).message).toContain(file);
    expect(existsSync(file)).toBe(false);
  });

  it('is found through BBWS_CONFIG when no file is named', () => {
    const file = join(tempDir(), 'elsewhere.json');
    const { file: used, created } = resolveConfig({ env: { BBWS_CONFIG: file } });
    expect(used).toBe(file);
    expect(created).toBe(true);
  });
});
