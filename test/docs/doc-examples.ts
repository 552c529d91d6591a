/**
 * Compiles and runs the code examples of a docs page, so the code a user copies works.
 *
 * The convention, for any page under docs/: a ```ts block right after a line
 * `<!-- runnable -->` is an example to run (other blocks are sketches and fragments).
 * - A first line `// some/path.ts` names the file the block is written to, so another block
 *   can import it by that path (`import { X } from '../src/x.js'`).
 * - A block that calls `it(` or `test(` is a test file: its tests run here as written.
 * - Any other block without a file name is a script (top-level `await` is fine): one test
 *   imports it and passes when it runs without throwing. A named block that is not a test is a
 *   module, checked by the compiler and run by the blocks that import it.
 *
 * The blocks are written to a temporary folder where `bbwebservice`, `vitest` and `zod`
 * resolve as in a user's app, type-checked together by `tsc` (against the built `.d.ts`
 * files, so run `pnpm build` first, as `pnpm test` does), then imported through vitest, whose
 * swc transform keeps the decorator metadata (and whose alias runs `bbwebservice` from source).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { linkBbwebservice } from '../support/link-bbwebservice.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MARK = '<!-- runnable -->';
const FILE_NAME = /^\/\/ ((?:[\w.-]+\/)*[\w.-]+\.ts)\s*$/;
const CALLS_A_TEST = /(?:^|[^\w.])(?:it|test)(?:\.\w+)?\(/m;

/** One runnable block of a page. */
export interface DocExample {
  /** Line of the opening fence in the page (1-based). */
  readonly line: number;
  readonly code: string;
  /** Where it is written in the example folder. */
  readonly file: string;
  readonly kind: 'test' | 'script' | 'module';
}

/** The runnable ```ts blocks of a markdown page, in order. */
export function runnableExamples(markdown: string): DocExample[] {
  const lines = markdown.split('\n');
  const examples: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== MARK) continue;
    const fence = i + 1;
    if (lines[fence]?.trim() !== '```ts')
      throw new Error(`line ${i + 1}: ${MARK} is not followed by a \`\`\`ts block`);
    const end = lines.findIndex((line, at) => at > fence && line.trim() === '```');
    if (end === -1) throw new Error(`line ${fence + 1}: the \`\`\`ts block is not closed`);
    const code = `${lines.slice(fence + 1, end).join('\n')}\n`;
    const named = FILE_NAME.exec(lines[fence + 1] ?? '')?.[1];
    const isTest = CALLS_A_TEST.test(code);
    examples.push({
      line: fence + 1,
      code,
      file: named ?? `example-line-${fence + 1}.ts`,
      kind: isTest ? 'test' : named === undefined ? 'script' : 'module',
    });
    i = end;
  }
  return examples;
}

/** Links what an app that installed bbwebservice, vitest and zod would resolve. */
function linkDependencies(folder: string): void {
  const modules = join(folder, 'node_modules');
  mkdirSync(join(modules, '@types'), { recursive: true });
  linkBbwebservice(modules);
  symlinkSync(join(ROOT, 'packages/core/node_modules/zod'), join(modules, 'zod'));
  symlinkSync(join(ROOT, 'node_modules/vitest'), join(modules, 'vitest'));
  symlinkSync(join(ROOT, 'node_modules/@types/node'), join(modules, '@types/node'));
}

/** Writes the examples and a tsconfig like a scaffolded app's (decorators with metadata). */
function writeExamples(folder: string, examples: readonly DocExample[]): void {
  for (const example of examples) {
    mkdirSync(dirname(join(folder, example.file)), { recursive: true });
    writeFileSync(join(folder, example.file), example.code);
  }
  const base = JSON.parse(readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: Record<string, unknown>;
  };
  const compilerOptions = {
    ...base.compilerOptions,
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
  };
  writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['**/*.ts'] }));
}

/** `file.ts(3,7): error ...` → `docs/page.md:41:7 (file.ts): error ...`, pointing into the page. */
function inPageTerms(output: string, page: string, examples: readonly DocExample[]): string {
  return output.replace(
    /^(\S+\.ts)\((\d+),(\d+)\)/gm,
    (whole, file: string, line: string, column: string) => {
      const example = examples.find((e) => e.file === file);
      return example === undefined ? whole : `${page}:${example.line + Number(line)}:${column} (${file})`;
    },
  );
}

/**
 * Registers, in the current vitest file, one suite that compiles the runnable examples of
 * `page` (a path from the repository root) and runs them.
 * @example `await describeDocExamples('docs/testing.md');` at the top level of a test file
 */
export async function describeDocExamples(page: string): Promise<void> {
  const examples = runnableExamples(readFileSync(join(ROOT, page), 'utf8'));
  const folder = mkdtempSync(join(tmpdir(), 'bbws-doc-examples-'));
  linkDependencies(folder);
  writeExamples(folder, examples);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  await describe(`the examples of ${page}`, async () => {
    it('include at least one runnable block', () => {
      expect(examples.length, `${page} has no ${MARK} block`).toBeGreaterThan(0);
    });

    it('compile with tsc', async () => {
      const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
      try {
        await promisify(execFile)(process.execPath, [tsc, '-p', folder], { cwd: folder });
      } catch (error) {
        const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
        expect.fail(`the examples do not compile:\n${inPageTerms(`${stdout}${stderr}`, page, examples)}`);
      }
    }, 60_000);

    for (const example of examples) {
      const url = pathToFileURL(join(folder, example.file)).href;
      const where = `${page}:${example.line}`;
      if (example.kind === 'test') {
        // Imported while the suite is collected, so the block's own describe/it register here.
        await describe(`the test at ${where}`, async () => {
          await import(/* @vite-ignore */ url);
        });
      } else if (example.kind === 'script') {
        it(`the script at ${where} runs`, async () => {
          await import(/* @vite-ignore */ url);
        });
      }
    }
  });
}
