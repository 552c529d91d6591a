import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CODE = /'(BBWS_ERR_[A-Z_]+)'/g;

/** Every error code a package's source names, as a string literal. */
function codesInSources(): Set<string> {
  const codes = new Set<string>();
  for (const pkg of readdirSync(join(ROOT, 'packages'))) {
    const src = join(ROOT, 'packages', pkg, 'src');
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      for (const [, code] of readFileSync(join(src, file), 'utf8').matchAll(CODE)) codes.add(code as string);
    }
  }
  return codes;
}

describe('docs/errors.md', () => {
  it('lists every error code the packages throw, and no code they do not', () => {
    const page = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
    const documented = new Set([...page.matchAll(/`(BBWS_ERR_[A-Z_]+)`/g)].map(([, code]) => code as string));
    const thrown = codesInSources();
    expect(thrown.size).toBeGreaterThan(40);
    expect([...thrown].filter((code) => !documented.has(code)).sort(), 'not in docs/errors.md').toEqual([]);
    expect([...documented].filter((code) => !thrown.has(code)).sort(), 'in docs/errors.md only').toEqual([]);
  });
});
