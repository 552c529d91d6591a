import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('docs/architecture.md', () => {
  it('says app.ts is under 300 lines, and it is', () => {
    const page = readFileSync(resolve(ROOT, 'docs/architecture.md'), 'utf8');
    const promised = /`core\/src\/app\/app\.ts`, the public face, under (\d+) lines/.exec(page);
    expect(promised?.[1]).toBe('300');
    const lines = readFileSync(resolve(ROOT, 'packages/core/src/app/app.ts'), 'utf8').split('\n').length;
    expect(lines).toBeLessThan(300);
  });
});
