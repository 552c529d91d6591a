import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchemas, OVERRIDABLE_LIMITS } from '../src/config/index.js';

const { configSchema, compressionConfigSchema, logConfigSchema, serverSchema } = configSchemas();

const page = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  it('names every key of the schema', () => {
    const keys = [
      ...Object.keys(configSchema.shape),
      ...Object.keys(serverSchema.shape),
      ...Object.keys(logConfigSchema.shape),
      ...Object.keys(compressionConfigSchema.shape),
      ...OVERRIDABLE_LIMITS,
    ];
    const missing = keys.filter((key) => !page.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });
});
