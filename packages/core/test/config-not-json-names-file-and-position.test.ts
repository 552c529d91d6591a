import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/index.js';
import { findJsonErrorPosition } from '../src/config/json-error-position.js';
import { CoreError } from '../src/errors.js';

function errorFor(text: string): { error: CoreError; file: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'bbws-config-')), 'config.json');
  writeFileSync(file, text);
  try {
    resolveConfig({ file, env: {} });
  } catch (error) {
    return { error: error as CoreError, file };
  }
  throw new Error('expected the config to be rejected');
}

describe('a config file that is not JSON', () => {
  it('fails with BBWS_ERR_CONFIG_READ naming the file, line and column', () => {
    const { error, file } = errorFor('{\n  "port": 5000,\n  "max_threads": 10,\n}\n');
    expect(error).toBeInstanceOf(CoreError);
    expect(error.code).toBe('BBWS_ERR_CONFIG_READ');
    expect(error.message).toContain(file);
    expect(error.message).toContain('line 4, column 1');
  });

  it('names the position even where JSON.parse does not (a bare word)', () => {
    const { error } = errorFor('{"ip": default}');
    expect(error.code).toBe('BBWS_ERR_CONFIG_READ');
    expect(error.message).toContain('line 1, column 8');
  });

  it('reports an empty file and a truncated one at their end', () => {
    expect(errorFor('').error.message).toContain('line 1, column 1');
    expect(errorFor('{"server": [\n').error.message).toContain('line 2, column 1');
  });

  it('accepts a UTF-8 byte order mark', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bbws-config-')), 'config.json');
    writeFileSync(file, '\uFEFF{"max_body_size": 1}');
    expect(resolveConfig({ file, env: {} }).config.max_body_size).toBe(1);
  });
});

describe('findJsonErrorPosition', () => {
  it('agrees with JSON.parse on what is valid', () => {
    const samples = [
      '{}',
      '[1, -2.5e3, "a\\u0041\\n", true, false, null, {"x": []}]',
      ' "s" ',
      '{"a":1,}',
      '[1,]',
      '01',
      '"tab\tinside"',
      '{"a" 1}',
      'nul',
      '[1 2]',
      '{"a":1}}',
    ];
    for (const text of samples) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(findJsonErrorPosition(text) === null, text).toBe(valid);
    }
  });
});
