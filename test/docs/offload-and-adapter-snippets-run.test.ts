import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkBbwebservice } from '../support/link-bbwebservice.js';

// The patterns docs/worker-pool.md and docs/adapter-runtime.md show are a small project: every
// ```ts block names its file (`file=src/x.ts`). This test writes them into one project, type-
// checks and compiles it with tsc, runs the entries marked `serve=PATH` with node (GET PATH must
// answer 200), calls the default export's fetch of those marked `fetch=PATH`, and runs the
// blocks marked `test` with vitest from their TypeScript sources. Run `pnpm build` first (the
// project imports the built `bbwebservice`).

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = ['docs/worker-pool.md', 'docs/adapter-runtime.md'];
const run = promisify(execFile);

interface Snippet {
  readonly page: string;
  readonly file: string | null;
  readonly flags: string;
  readonly code: string;
}

function snippetsOf(page: string): Snippet[] {
  const text = readFileSync(join(ROOT, page), 'utf8');
  const found: Snippet[] = [];
  for (const match of text.matchAll(/^```ts([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const info = match[1] ?? '';
    found.push({ page, file: /file=(\S+)/.exec(info)?.[1] ?? null, flags: info, code: match[2] ?? '' });
  }
  return found;
}

const snippets = PAGES.flatMap(snippetsOf);
let project = '';
const children: ChildProcess[] = [];

beforeAll(async () => {
  // Outside the repository, so the root vitest run never collects the snippet's test file.
  project = mkdtempSync(join(tmpdir(), 'bbws-snippets-'));
  mkdirSync(join(project, 'node_modules'));
  linkBbwebservice(join(project, 'node_modules'));
  for (const dependency of ['vitest', 'unplugin-swc', '@swc', '@types']) {
    symlinkSync(join(ROOT, 'node_modules', dependency), join(project, 'node_modules', dependency), 'dir');
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.base.json'),
      compilerOptions: {
        rootDir: '.',
        outDir: 'dist',
        composite: false,
        declaration: false,
        declarationMap: false,
      },
      include: ['src', 'test'],
    }),
  );
  writeFileSync(
    join(project, 'vitest.config.mjs'),
    `import swc from 'unplugin-swc';
export default {
  plugins: [swc.vite({ jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022', keepClassNames: true } })],
  test: { include: ['test/**/*.test.ts'], testTimeout: 20000, hookTimeout: 20000 },
};
`,
  );
  for (const snippet of snippets) {
    if (snippet.file === null) continue;
    mkdirSync(dirname(join(project, snippet.file)), { recursive: true });
    writeFileSync(join(project, snippet.file), snippet.code);
  }
  await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], {
    timeout: 60_000,
  });
}, 90_000);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  if (project !== '') rmSync(project, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** GET `url` until it answers (the entry is starting), at most ~10 s. */
async function getWhenUp(url: string): Promise<{ status: number; text: string }> {
  let lastError: unknown;
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(url);
      return { status: response.status, text: await response.text() };
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw lastError;
}

const compiled = (file: string) => join(project, 'dist', file.replace(/\.ts$/, '.js'));

describe('the snippets of docs/worker-pool.md and docs/adapter-runtime.md', () => {
  it('are all files of the project (no fragment escapes compilation)', () => {
    expect(snippets.length).toBeGreaterThan(4);
    expect(snippets.filter((s) => s.file === null).map((s) => `${s.page}: ${s.code.slice(0, 60)}`)).toEqual(
      [],
    );
  });

  for (const snippet of snippets.filter((s) => /serve=/.test(s.flags))) {
    it(`${snippet.file} serves ${/serve=(\S+)/.exec(snippet.flags)?.[1]} with 200 (node, compiled)`, async () => {
      const path = /serve=(\S+)/.exec(snippet.flags)?.[1] as string;
      const port = await freePort();
      let output = '';
      const child = spawn(process.execPath, [compiled(snippet.file as string)], {
        cwd: project,
        env: {
          ...process.env,
          PORT: String(port),
          BBWS_SERVER_0_IP: '127.0.0.1',
          BBWS_SERVER_0_PORT: String(port),
        },
      });
      children.push(child);
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const answer = await getWhenUp(`http://127.0.0.1:${port}${path}`);
      expect(answer.status, output).toBe(200);
      expect(answer.text).toMatch(/^[0-9a-f]{64}$/);
      expect(output).not.toMatch(/EADDRINUSE|replaced|exited/);
      child.kill('SIGTERM');
    });
  }

  for (const snippet of snippets.filter((s) => /fetch=/.test(s.flags))) {
    it(`${snippet.file}'s fetch answers ${/fetch=(\S+)/.exec(snippet.flags)?.[1]} with 200 (node, compiled)`, async () => {
      const path = /fetch=(\S+)/.exec(snippet.flags)?.[1] as string;
      const script = `const { default: host } = await import(${JSON.stringify(compiled(snippet.file as string))});
const response = await host.fetch(new Request('http://localhost${path}'));
console.log(response.status, await response.text());
process.exit(0);`;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: project,
        timeout: 20_000,
      });
      expect(stdout).toMatch(/^200 [0-9a-f]{64}\n$/);
    });
  }

  it('the test snippets pass under vitest from their TypeScript sources', async () => {
    expect(snippets.some((s) => /\btest\b/.test(s.flags))).toBe(true);
    const { stdout } = await run(
      process.execPath,
      [
        join(ROOT, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--root',
        project,
        '--config',
        'vitest.config.mjs',
      ],
      { cwd: project, timeout: 90_000, env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(stdout).toMatch(/Tests\s+\d+ passed/);
    expect(stdout).not.toMatch(/failed/);
  }, 100_000);
});
