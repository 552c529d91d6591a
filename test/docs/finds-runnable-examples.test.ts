import { describe, expect, it } from 'vitest';
import { runnableExamples } from './doc-examples.js';

const page = [
  '# A page',
  '',
  '```ts',
  'sketch(); // not marked: never run',
  '```',
  '',
  '<!-- runnable -->',
  '```ts',
  '// src/thing.ts',
  'export const thing = 1;',
  '```',
  '<!-- runnable -->',
  '```ts',
  "import { it } from 'vitest';",
  "it('works', () => {});",
  '```',
  '<!-- runnable -->',
  '```ts',
  "const { thing } = await import('./src/thing.js');",
  '```',
].join('\n');

describe('runnableExamples', () => {
  it('takes only marked ts blocks, and tells modules, tests and scripts apart', () => {
    expect(runnableExamples(page).map(({ line, file, kind }) => ({ line, file, kind }))).toEqual([
      { line: 8, file: 'src/thing.ts', kind: 'module' },
      { line: 13, file: 'example-line-13.ts', kind: 'test' },
      { line: 18, file: 'example-line-18.ts', kind: 'script' },
    ]);
    expect(runnableExamples(page)[0]?.code).toBe('// src/thing.ts\nexport const thing = 1;\n');
  });

  it('refuses a mark without a ts block after it, and a block that is not closed', () => {
    expect(() => runnableExamples('<!-- runnable -->\n```js\nx\n```')).toThrow(/line 1: .* not followed/);
    expect(() => runnableExamples('<!-- runnable -->\n```ts\nx\n')).toThrow(/line 2: .* not closed/);
  });
});
