import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LoopbackRegistry,
  publishWorkspace,
  startRegistry,
  stopRegistry,
} from '../../tools/registry/registry.mjs';

/**
 * The release path end to end, as a user meets it: the packages are packed and published to
 * a loopback verdaccio, `npm create bbws-app@latest` fetches create-bbws-app from it and
 * scaffolds each template, the app installs bbwebservice from it, runs its own tests, and
 * serves a route over TCP. Third-party packages come through verdaccio's uplink.
 */

const run = promisify(execFile);
const MINUTE = 60_000;

let registry: LoopbackRegistry | undefined;
let tarballs: string[] = [];
const work = mkdtempSync(join(tmpdir(), 'bbws-create-e2e-'));
// npm's cache outlives the test (tarballs are keyed by their hash, so ours, rebuilt, never
// collide), except npx's install of create-bbws-app@latest, which is keyed by the spec: a
// stale one would scaffold yesterday's templates.
const npmCache = join(tmpdir(), 'bbws-e2e-npm-cache');
rmSync(join(npmCache, '_npx'), { recursive: true, force: true });

function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // pnpm's settings (this runs under `pnpm test`) would leak into npm and the app's vitest.
    if (!key.toLowerCase().startsWith('npm_') && !key.startsWith('VITEST') && key !== 'NODE_OPTIONS')
      env[key] = value;
  }
  return {
    ...env,
    npm_config_registry: `${registry?.url}/`,
    npm_config_cache: npmCache,
    npm_config_prefer_offline: 'true',
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
    CI: 'true',
    NO_COLOR: '1',
  };
}

/** Starts the built app with every listener on a free port and returns the first one's port. */
async function startApp(app: string, listeners: number): Promise<{ child: ChildProcess; port: number }> {
  const env: NodeJS.ProcessEnv = { ...npmEnv() };
  for (let i = 0; i < listeners; i++) env[`BBWS_SERVER_${i}_PORT`] = '0';
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: app,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" within 15 s:\n${output}`)), 15_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`app exited with ${code}:\n${output}`)));
  });
  return { child, port };
}

async function stopApp(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
  return exited;
}

beforeAll(async () => {
  registry = await startRegistry();
  tarballs = publishWorkspace(registry);
}, 2 * MINUTE);

afterAll(() => {
  if (registry !== undefined) stopRegistry(registry);
  rmSync(work, { recursive: true, force: true });
});

describe('npm create bbws-app@latest against the loopback registry', () => {
  it('publishes every package without a workspace: range left in it', async () => {
    const fresh = new Agent();
    for (const name of ['bbwebservice', '@bbws/core', '@bbws/testing', 'create-bbws-app']) {
      // A fresh agent: the global one may hold a connection from before the (blocking) publish,
      // which verdaccio has closed since.
      const res = await request(`${registry?.url}/${name.replace('/', '%2f')}`, { dispatcher: fresh });
      expect(res.statusCode, name).toBe(200);
      const packument = (await res.body.json()) as {
        'dist-tags': { latest: string };
        versions: Record<string, { dependencies?: Record<string, string> }>;
      };
      const latest = packument.versions[packument['dist-tags'].latest];
      expect(JSON.stringify(latest?.dependencies ?? {})).not.toContain('workspace:');
    }
    await fresh.close();
  });

  it('packs a README, a LICENSE and the built types into every tarball, and no sources or tests', async () => {
    expect(tarballs).toHaveLength(7);
    for (const tarball of tarballs) {
      const { stdout } = await run('tar', ['-tzf', tarball]);
      const files = stdout.split('\n').filter(Boolean);
      expect(files, tarball).toEqual(
        expect.arrayContaining(['package/README.md', 'package/LICENSE', 'package/dist/index.d.ts']),
      );
      expect(
        files.filter((file) => /^package\/(src|test)\/|tsbuildinfo/.test(file)),
        tarball,
      ).toEqual([]);
    }
  });

  it.each([
    ['minimal', 1, '/hello', 'text/plain; charset=utf-8'],
    ['api', 2, '/api/todos', 'application/json; charset=utf-8'],
    ['streaming', 1, '/', 'text/html; charset=utf-8'],
  ] as const)(
    'scaffolds %s, installs from the registry, passes its tests and serves a route over TCP',
    async (template, listeners, path, contentType) => {
      const name = `e2e-${template}`;
      const created = await run(
        'npm',
        ['create', 'bbws-app@latest', name, '--', '--template', template, '--no-git', '--yes'],
        { cwd: work, env: npmEnv(), timeout: 3 * MINUTE },
      );
      expect(created.stdout).toContain('next steps');
      const app = join(work, name);
      expect(existsSync(join(app, 'node_modules/bbwebservice/package.json'))).toBe(true);
      const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
      expect(pkg.dependencies.bbwebservice).toBe('^0.1.0');

      const tested = await run('npm', ['test'], { cwd: app, env: npmEnv(), timeout: 2 * MINUTE });
      expect(tested.stdout).toMatch(/Tests\s+\d+ passed/);
      expect(tested.stdout).not.toMatch(/failed/);

      await run('npm', ['run', 'build'], { cwd: app, env: npmEnv(), timeout: MINUTE });
      const { child, port } = await startApp(app, listeners);
      try {
        const res = await request(`http://127.0.0.1:${port}${path}`);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe(contentType);
        await res.body.text();
      } finally {
        expect(await stopApp(child)).toBe(0); // graceful stop on SIGTERM
      }
    },
    5 * MINUTE,
  );

  it(
    'npm run dev serves, rebuilds and restarts on a change, and constructor injection survives it',
    async () => {
      // Runs after the minimal template above was scaffolded and installed.
      const app = join(work, 'e2e-minimal');
      expect(existsSync(join(app, 'node_modules/bbwebservice/package.json'))).toBe(true);
      const child = spawn(process.execPath, ['scripts/dev.mjs'], {
        cwd: app,
        env: { ...npmEnv(), BBWS_SERVER_0_PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // its own process group: tsc --watch and node --watch stop with it
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const starts = (): number[] =>
        [...output.matchAll(/listening on 127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
      /**
       * What /hello answers once it answers `expected`: polls the newest start's port for up to a
       * minute (tsc --watch's first emit restarts the server once more; a restart refuses
       * connections for a moment).
       */
      const helloEventually = async (expected: string): Promise<string> => {
        let last = '';
        for (let waited = 0; waited < MINUTE; waited += 200) {
          const port = starts().at(-1);
          if (port !== undefined) {
            try {
              const res = await request(`http://127.0.0.1:${port}/hello`);
              last = `${res.statusCode} ${await res.body.text()}`;
              if (last === `200 ${expected}`) return expected;
            } catch (error) {
              last = (error as Error).message;
            }
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error(`/hello never answered ${JSON.stringify(expected)} (last: ${last}):\n${output}`);
      };
      const greeter = join(app, 'src/greeter.ts');
      try {
        expect(await helloEventually('Hello from e2e-minimal!')).toBe('Hello from e2e-minimal!');
        // Let tsc --watch finish its first pass before the edit.
        for (let waited = 0; waited < MINUTE && !output.includes('Watching for file changes'); waited += 100)
          await new Promise((resolve) => setTimeout(resolve, 100));
        const before = starts().length;
        writeFileSync(greeter, readFileSync(greeter, 'utf8').replace('Hello from', 'Welcome back to'));
        // tsc --watch rebuilds dist/, node --watch restarts the server (on a new port 0): the
        // Greeter is still injected, so the decorator metadata survived the rebuild.
        expect(await helloEventually('Welcome back to e2e-minimal!')).toBe('Welcome back to e2e-minimal!');
        expect(starts().length).toBeGreaterThan(before);
      } finally {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      }
    },
    2 * MINUTE,
  );

  it(
    'pnpm create bbws-app scaffolds too',
    async () => {
      const created = await run(
        'pnpm',
        ['create', 'bbws-app', 'e2e-pnpm', '--template', 'api', '--no-git', '--no-install', '--yes'],
        { cwd: work, env: npmEnv(), timeout: 2 * MINUTE },
      );
      expect(created.stdout).toContain('pnpm install');
      const pkg = JSON.parse(readFileSync(join(work, 'e2e-pnpm/package.json'), 'utf8'));
      expect(pkg.name).toBe('e2e-pnpm');
      expect(Object.keys(pkg.dependencies).sort()).toEqual(['bbwebservice', 'zod']);
    },
    2 * MINUTE,
  );
});
