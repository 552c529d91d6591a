import { type ChildProcess, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';

// docs/architecture.md, "What start loads": core loads tsyringe from a one-file copy
// (packages/bbwebservice/dist/bundle/tsyringe.cjs, beside the bundle core is part of, written by
// scripts/bundle.mjs) and enters it into the
// CommonJS module cache under tsyringe's own filename, so an app's `require('tsyringe')` and
// `import 'tsyringe'` get core's instance. Each case runs an app in its own Node process from
// the built packages (`pnpm build` first), installed as an app's node_modules would hold them,
// and asks it over TCP for a service the app decorated with its own tsyringe's decorators.

const root = resolve(import.meta.dirname, '../..');
const fromCore = createRequire(join(root, 'packages/core/package.json'));
/** The folder of the package whose file `file` is: the nearest one up with a package.json. */
function packageDir(file: string): string {
  const dir = dirname(file);
  return existsSync(join(dir, 'package.json')) ? dir : packageDir(dir);
}
// The installed packages' real folders (require.resolve follows pnpm's links).
const tsyringeDir = packageDir(fromCore.resolve('tsyringe'));
const tslibDir = packageDir(createRequire(join(tsyringeDir, 'package.json')).resolve('tslib'));
const reflectDir = packageDir(fromCore.resolve('reflect-metadata'));
const copyFile = join(root, 'packages/bbwebservice/dist/bundle/tsyringe.cjs');
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bbws-tsyringe-'));
  dirs.push(dir);
  return dir;
}

function link(modules: string, name: string, target: string): void {
  mkdirSync(dirname(join(modules, name)), { recursive: true });
  symlinkSync(target, join(modules, name), 'dir');
}

/** The parts of an app file after its imports: the app's decorators applied as tsc emits them. */
const APP_BODY = `
const Reflect_ = globalThis.Reflect;
class Clock {}
app.singleton()(Clock);
class Greeter {
  constructor(clock) { this.clock = clock; }
}
Reflect_.defineMetadata('design:paramtypes', [Clock], Greeter);
app.injectable()(Greeter);
class Hello {
  constructor(greeter) { this.greeter = greeter; }
  hello() {
    return 'clock shared: ' + (this.greeter.clock === app.container.resolve(Clock));
  }
}
Reflect_.defineMetadata('design:paramtypes', [Greeter], Hello);
ours.Get('/hello', { type: ours.MIME_TYPE.TEXT })(Hello.prototype, 'hello', Object.getOwnPropertyDescriptor(Hello.prototype, 'hello'));
ours.Controller('::/')(Hello);
const server = ours.createApp({
  controllers: [Hello],
  config: { server: [{ ip: '127.0.0.1', port: 0 }], log: { console: false } },
});
await server.start();
const cache = createRequire(import.meta.url).cache;
const loaded = (part) => Object.values(cache).some((entry) => entry.loaded && entry.filename.includes(part));
console.log(JSON.stringify({
  port: server.addresses[0].port,
  // bbwebservice's exported container, or (from @bbws/core) the parent of the app's own.
  sameContainer: (ours.container ?? server.container.parent) === app.container,
  copyRead: loaded('/dist/bundle/tsyringe.cjs'),
  installedFilesLoaded: loaded('/tsyringe/dist/cjs/dependency-container.js'),
}));
`;

/** How the app gets tsyringe and bbwebservice (or @bbws/core), in this order. */
const IMPORTS = {
  'import before': `import 'reflect-metadata';
import * as app from 'tsyringe';
import * as ours from 'bbwebservice';
import { createRequire } from 'node:module';`,
  'import after': `import * as ours from 'bbwebservice';
import * as app from 'tsyringe';
import { createRequire } from 'node:module';`,
  'require after': `import * as ours from 'bbwebservice';
import { createRequire } from 'node:module';
const app = createRequire(import.meta.url)('tsyringe');`,
  'dynamic import after': `import * as ours from 'bbwebservice';
import { createRequire } from 'node:module';
const app = await import('tsyringe');`,
  'require before': `import { createRequire } from 'node:module';
createRequire(import.meta.url)('reflect-metadata');
const app = createRequire(import.meta.url)('tsyringe');
const ours = await import('bbwebservice');`,
  'only through bbwebservice': `import * as ours from 'bbwebservice';
import { createRequire } from 'node:module';
const app = ours;`,
} as const;

interface Report {
  readonly port: number;
  readonly sameContainer: boolean;
  /** Core required the copy (to read its version; using it or not). */
  readonly copyRead: boolean;
  /** tsyringe's own files ran; when they did not, the only tsyringe in the process is the copy. */
  readonly installedFilesLoaded: boolean;
}

interface Started {
  readonly child: ChildProcess;
  readonly report: Report;
}

/** Runs `node app.mjs` in `dir` until it prints its report line; fails with its output otherwise. */
async function startApp(dir: string): Promise<Started> {
  const child = spawn(process.execPath, ['app.mjs'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  try {
    const report = await new Promise<Report>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no report within 15 s:\n${output}`)), 15_000);
      child.stdout?.on('data', () => {
        const line = /^\{"port".*\}$/m.exec(output);
        if (line === null) return;
        clearTimeout(timer);
        done(JSON.parse(line[0]) as Report);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`exited (${code}) before its report:\n${output}`));
      });
    });
    return { child, report };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGKILL');
  await exited;
}

/**
 * Where the process's tsyringe came from: `cached`, the installed files the app loaded before
 * core (core did not even read the copy); `copy`, the copy alone; `installed`, the installed files
 * loaded by core, after it read the copy and found another version (or found none).
 */
type Source = 'cached' | 'copy' | 'installed' | 'installed, no copy';

function expectSource(report: Report, source: Source): void {
  expect(report.installedFilesLoaded, 'installed files loaded').toBe(source !== 'copy');
  expect(report.copyRead, 'copy read').toBe(source === 'copy' || source === 'installed');
}

/** Asks the app for /hello: the controller got the service the app's decorators registered. */
async function expectInjected(port: number): Promise<void> {
  const hello = await request(`http://127.0.0.1:${port}/hello`);
  expect(hello.statusCode).toBe(200);
  expect(await hello.body.text()).toBe('clock shared: true');
}

describe("an app's tsyringe is bbwebservice's", () => {
  /** An app folder whose node_modules links the built bbwebservice, tsyringe and reflect-metadata. */
  function appDir(imports: string): string {
    const dir = tempDir();
    const modules = join(dir, 'node_modules');
    link(modules, 'bbwebservice', join(root, 'packages/bbwebservice'));
    link(modules, 'tsyringe', tsyringeDir);
    link(modules, 'reflect-metadata', reflectDir);
    writeFileSync(join(dir, 'app.mjs'), `${imports}\n${APP_BODY}`);
    return dir;
  }

  // Where the instance came from: the app's own load of the installed files when the app
  // reached tsyringe first (an ES import is linked before any module runs, and the linking
  // enters tsyringe into the module cache, so "import after" counts), core's copy otherwise.
  const cases: ReadonlyArray<[keyof typeof IMPORTS, Source]> = [
    ['import before', 'cached'],
    ['import after', 'cached'],
    ['require before', 'cached'],
    ['require after', 'copy'],
    // Node's loader still reads the installed files for the export names, and runs none of them.
    ['dynamic import after', 'copy'],
    ['only through bbwebservice', 'copy'],
  ];
  for (const [name, source] of cases) {
    it(`${name}: one container, the app's @singleton() and @injectable() services injected (tsyringe: ${source})`, async () => {
      const { child, report } = await startApp(appDir(IMPORTS[name]));
      try {
        expect(report.sameContainer).toBe(true);
        await expectInjected(report.port);
        expectSource(report, source);
      } finally {
        await stopApp(child);
      }
    });
  }
});

describe('the one-file copy of tsyringe', () => {
  /**
   * An app whose node_modules holds its own copies of bbwebservice and @bbws/* (the built
   * bundles: @bbws/core's entry takes its names from bbwebservice's graph, which holds core) and
   * of tsyringe, whose package.json says `version`; core resolves this tsyringe, not the
   * workspace's.
   */
  function installedWith(version: string, hasCopy = true): string {
    const dir = tempDir();
    const modules = join(dir, 'node_modules');
    for (const name of ['bbwebservice', '@bbws/core', '@bbws/router', '@bbws/responses', '@bbws/transport']) {
      const from = join(root, 'packages', name.replace('@bbws/', ''));
      const to = join(modules, name);
      mkdirSync(to, { recursive: true });
      cpSync(join(from, 'package.json'), join(to, 'package.json'));
      cpSync(join(from, 'dist/bundle'), join(to, 'dist/bundle'), { recursive: true });
    }
    if (!hasCopy) rmSync(join(modules, 'bbwebservice/dist/bundle/tsyringe.cjs'));
    cpSync(tsyringeDir, join(modules, 'tsyringe'), { recursive: true, dereference: true });
    const manifestFile = join(modules, 'tsyringe/package.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { version: string };
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, version }));
    link(modules, 'tslib', tslibDir);
    link(modules, 'reflect-metadata', reflectDir);
    const imports = `import * as core from '@bbws/core';
import { MIME_TYPE } from '@bbws/responses';
import { createRequire } from 'node:module';
const ours = { ...core, MIME_TYPE };
const app = createRequire(import.meta.url)('tsyringe');`;
    writeFileSync(join(dir, 'app.mjs'), `${imports}\n${APP_BODY}`);
    return dir;
  }

  const installedVersion = (
    JSON.parse(readFileSync(join(tsyringeDir, 'package.json'), 'utf8')) as { version: string }
  ).version;

  it('records the version of the tsyringe it was built from', () => {
    const copy = createRequire(import.meta.url)(copyFile) as { version: string };
    expect(copy.version).toBe(installedVersion);
  });

  it('exports exactly the names tsyringe exports, by require() and by import', async () => {
    // A fresh process: in this one, tsyringe may already be the copy.
    const script = `
      require('reflect-metadata');
      const installed = require(${JSON.stringify(join(tsyringeDir, 'dist/cjs/index.js'))});
      const copy = require(${JSON.stringify(copyFile)}).load();
      import(${JSON.stringify(join(tsyringeDir, 'dist/cjs/index.js'))}).then((namespace) => {
        const shape = (object) => Object.getOwnPropertyNames(object).sort().map((name) => name + ':' + typeof object[name]);
        console.log(JSON.stringify({
          installed: shape(installed),
          copy: shape(copy),
          imported: Object.keys(namespace).filter((name) => name !== 'default').sort(),
          distinct: installed.container !== copy.container,
        }));
      });`;
    const output = await runNode(['-e', script], dirname(reflectDir));
    const names = JSON.parse(output) as {
      installed: string[];
      copy: string[];
      imported: string[];
      distinct: boolean;
    };
    expect(names.distinct).toBe(true);
    expect(names.installed).toContain('container:object');
    expect(names.installed).toContain('injectable:function');
    expect(names.copy).toEqual(names.installed);
    // What `import { x } from 'tsyringe'` can name: the names Node finds in the installed files
    // (the copy's object gives their values when it stands in).
    expect(names.imported).toEqual(names.installed.map((entry) => entry.slice(0, entry.indexOf(':'))));
  });

  it('stands in for an installed tsyringe of the same version', async () => {
    const { child, report } = await startApp(installedWith(installedVersion));
    try {
      expect(report.sameContainer).toBe(true);
      await expectInjected(report.port);
      expectSource(report, 'copy');
    } finally {
      await stopApp(child);
    }
  });

  it('is not used for another version: core and the app load the installed files, and share them', async () => {
    const { child, report } = await startApp(installedWith(`${installedVersion}-patched`));
    try {
      expect(report.sameContainer).toBe(true);
      await expectInjected(report.port);
      expectSource(report, 'installed');
    } finally {
      await stopApp(child);
    }
  });

  it('is not needed: without it core loads the installed files', async () => {
    const { child, report } = await startApp(installedWith(installedVersion, false));
    try {
      expect(report.sameContainer).toBe(true);
      await expectInjected(report.port);
      expectSource(report, 'installed, no copy');
    } finally {
      await stopApp(child);
    }
  });
});

/** Runs node with `args` in `cwd` and returns its stdout; fails with its output on a non-zero exit. */
function runNode(args: string[], cwd: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) =>
      code === 0 ? done(stdout) : fail(new Error(`exit ${code}:\n${stdout}${stderr}`)),
    );
  });
}

describe('chooseTsyringeSource', () => {
  it('keeps a cached instance, takes the copy only for the same version, and the installed files otherwise', async () => {
    const { chooseTsyringeSource } = await import('../../packages/core/src/di/tsyringe.js');
    expect(chooseTsyringeSource(true, undefined, undefined)).toBe('cached');
    expect(chooseTsyringeSource(true, '4.10.0', '4.10.0')).toBe('cached');
    expect(chooseTsyringeSource(false, '4.10.0', '4.10.0')).toBe('copy');
    expect(chooseTsyringeSource(false, '4.10.1', '4.10.0')).toBe('installed');
    expect(chooseTsyringeSource(false, '4.10.0-rc.1', '4.10.0')).toBe('installed');
    expect(chooseTsyringeSource(false, undefined, '4.10.0')).toBe('installed');
    expect(chooseTsyringeSource(false, '4.10.0', undefined)).toBe('installed');
  });
});
