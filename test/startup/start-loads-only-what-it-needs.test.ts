import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';

// docs/architecture.md, "What start loads": the production start of the quickstart loads what
// serving needs and nothing else; each feature loads its code when first used. Runs the built
// packages (`pnpm build` first: each package's bundle in dist/bundle/, scripts/bundle.mjs) with
// apps/bench/dist/analysis/record-loads.js, which writes every module URL the process loaded (ESM through
// a resolve hook, CommonJS from require.cache) when it exits. A module of ours is a bundle file:
// what a feature loads on first use is its own chunk (e.g. certificate-store-HASH.js), so it
// shows up here only once the feature is used.

const root = resolve(import.meta.dirname, '../..');
const recorder = join(root, 'apps/bench/dist/analysis/record-loads.js');
const dirs: string[] = [];

interface Run {
  readonly child: ChildProcess;
  readonly port: number;
  readonly output: () => string;
  /** Stops the process (SIGINT: the app stops gracefully, exits 0) and returns what it loaded. */
  readonly stop: () => Promise<string[]>;
}

async function run(entry: string, config: object, env: Record<string, string> = {}): Promise<Run> {
  const cwd = mkdtempSync(join(tmpdir(), 'bbws-start-loads-'));
  dirs.push(cwd);
  mkdirSync(join(cwd, 'config'));
  writeFileSync(join(cwd, 'config/config.json'), JSON.stringify(config));
  const loads = join(cwd, 'loads.txt');
  const child = spawn(process.execPath, ['--import', recorder, entry], {
    cwd,
    env: { ...process.env, RECORD_LOADS_TO: loads, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no "listening on" within 15 s:\n${output}`)), 15_000);
    const look = () => {
      const match = / listening on \S*:(\d+)\n/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      child.stdout?.off('data', look);
      done(Number(match[1]));
    };
    child.stdout?.on('data', look);
    child.once('exit', () => {
      clearTimeout(timer);
      fail(new Error(`exited before listening:\n${output}`));
    });
  });
  return {
    child,
    port,
    output: () => output,
    stop: async () => {
      child.kill('SIGINT');
      await exited;
      return readFileSync(loads, 'utf8').split('\n').filter(Boolean);
    },
  };
}

/** Whether a URL holding `part` loaded; a `node:` module by its exact name (node:http is not node:http2). */
function loaded(urls: readonly string[], part: string): boolean {
  return part.startsWith('node:') ? urls.includes(part) : urls.some((url) => url.includes(part));
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** What production start and one plain request do not need. */
const NOT_AT_START = [
  '/node_modules/zod/',
  '/node_modules/pino/',
  '/node_modules/pino-pretty/',
  '/node_modules/busboy/',
  '/node_modules/cookie/',
  '/node_modules/mime-types/',
  '/node_modules/eventsource-parser/',
  '/packages/testing/',
  // transport's TLS chunk, dynamically imported for the first https server.
  '/packages/bbwebservice/dist/bundle/certificate-store-',
  'node:tls',
  'node:zlib',
  'node:crypto',
];

/**
 * Node's modules start does not load either, taken with process.getBuiltinModule where used:
 * the reason phrases are our own table (node:http), the worker pool takes node:worker_threads
 * with its first worker. Checked in a run without the resolve hook, whose thread loads
 * node:worker_threads.
 */
const NODE_NOT_AT_START = ['node:http', 'node:worker_threads'];

describe('the production start of the quickstart', () => {
  it('loads what serving needs, and none of zod, pino, busboy, cookie, mime-types, TLS, zlib, crypto or the test client', async () => {
    const app = await run(join(root, 'apps/quickstart/dist/main.js'), {
      server: [{ ip: '127.0.0.1', port: 0 }],
    });
    try {
      const hello = await request(`http://127.0.0.1:${app.port}/hello`);
      expect(hello.statusCode).toBe(200);
      expect(await hello.body.text()).toBe('Hello from bbwebservice!');
    } finally {
      const urls = await app.stop();
      // The recorder saw the start: the framework and tsyringe are there.
      expect(loaded(urls, '/packages/bbwebservice/dist/bundle/packages.js')).toBe(true);
      expect(loaded(urls, '/node_modules/tsyringe/dist/cjs/index.js')).toBe(true);
      // tsyringe is core's one-file copy, entered under its index's name: none of its other files.
      expect(loaded(urls, '/packages/bbwebservice/dist/bundle/tsyringe.cjs')).toBe(true);
      expect(
        urls.filter((url) => url.includes('/node_modules/tsyringe/') && !url.endsWith('/dist/cjs/index.js')),
      ).toEqual([]);
      for (const part of NOT_AT_START) expect(loaded(urls, part), part).toBe(false);
      // The start line went out in pino's format, though pino was not loaded.
      expect(app.output()).toMatch(
        /^\{"level":30,"time":\d+,"msg":"listening on http:\/\/127\.0\.0\.1:\d+"\}$/m,
      );
    }
  });
});

describe("Node's modules at the production start of the quickstart", () => {
  it('are what serving needs, without node:http and node:worker_threads', async () => {
    const app = await run(
      join(root, 'apps/quickstart/dist/main.js'),
      { server: [{ ip: '127.0.0.1', port: 0 }] },
      { RECORD_LOADS_BUILTINS: '1' },
    );
    let urls: string[] = [];
    try {
      const hello = await request(`http://127.0.0.1:${app.port}/hello`);
      expect(hello.statusCode).toBe(200);
      await hello.body.text();
    } finally {
      urls = await app.stop();
    }
    // The recorder saw Node's modules: node:net serves, and its listen() loads node:cluster.
    expect(loaded(urls, 'node:net')).toBe(true);
    expect(loaded(urls, 'node:cluster')).toBe(true);
    // Without the hook, no file is written: only Node's modules.
    expect(urls.filter((url) => !url.startsWith('node:'))).toEqual([]);
    for (const name of NODE_NOT_AT_START) expect(loaded(urls, name), name).toBe(false);
  });
});

/**
 * The modules of our packages start loads: bbwebservice's entry and the one graph it and the
 * @bbws/* packages re-export (scripts/bundle.mjs, GRAPH_PACKAGES). Each more module, and each
 * bare import between them, costs Node's resolver path work; enough of it makes V8 optimise
 * two of Node's path functions during start, which maps in its optimising compiler (about
 * 3.5 MiB of RSS; docs/architecture.md, "What start loads").
 */
const OWN_MODULES_AT_START = ['bbwebservice/dist/bundle/index.js', 'bbwebservice/dist/bundle/packages.js'];

describe('the start of the quickstart, bundled', () => {
  it('loads two modules of our packages: the entry and the one graph', async () => {
    const app = await run(join(root, 'apps/quickstart/dist/main.js'), {
      server: [{ ip: '127.0.0.1', port: 0 }],
    });
    const hello = await request(`http://127.0.0.1:${app.port}/hello`);
    expect(hello.statusCode).toBe(200);
    await hello.body.text();
    const urls = await app.stop();
    // tsyringe's one-file copy sits in bbwebservice's dist/bundle/ but is tsyringe's code, not ours.
    const ours = [
      ...new Set(
        urls.filter(
          (url) => url.startsWith(`file://${root}/packages/`) && !url.endsWith('/dist/bundle/tsyringe.cjs'),
        ),
      ),
    ];
    expect(ours.sort()).toEqual(OWN_MODULES_AT_START.map((file) => `file://${root}/packages/${file}`));
  });
});

describe('an app that uses the features', () => {
  it('loads each feature when it is used, and each works', async () => {
    const app = await run(join(root, 'test/startup/feature-app.mjs'), {
      server: [{ ip: '127.0.0.1', port: 0 }],
      log: { pretty: true },
    });
    const base = `http://127.0.0.1:${app.port}`;
    try {
      const boundary = 'feature-boundary';
      const upload = await request(`${base}/upload`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body:
          `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nholiday\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.txt"\r\n\r\nfile body\r\n` +
          `--${boundary}--\r\n`,
      });
      expect(upload.statusCode).toBe(200);
      expect(await upload.body.text()).toBe('title=holiday,a.txt:file body');

      const cookie = await request(`${base}/cookie`);
      expect(cookie.headers['set-cookie']).toBe('session=abc; HttpOnly');
      await cookie.body.text();

      const big = await request(`${base}/big`, { headers: { 'accept-encoding': 'gzip' } });
      expect(big.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(Buffer.from(await big.body.arrayBuffer())).toString()).toBe(
        'compress me '.repeat(400),
      );

      const asset = await request(`${base}/asset`);
      expect(asset.headers['content-type']).toBe('text/css; charset=utf-8');
      expect(await asset.body.text()).toBe('body { color: red }\n');

      const record = await request(`${base}/record`);
      expect(await record.body.text()).toBe('logged');
    } finally {
      const urls = await app.stop();
      for (const part of [
        '/node_modules/busboy/',
        '/node_modules/cookie/',
        'node:zlib',
        '/node_modules/mime-types/',
      ]) {
        expect(loaded(urls, part), part).toBe(true);
      }
      expect(loaded(urls, '/node_modules/pino/'), 'pino, for the record with fields').toBe(true);
      expect(loaded(urls, '/node_modules/pino-pretty/'), 'pino-pretty, for log.pretty').toBe(true);
      expect(loaded(urls, '/node_modules/zod/'), 'zod: the plain config took the fast path').toBe(false);
      // Pretty console lines, not JSON: the level name and the message.
      expect(app.output()).toMatch(/INFO.*listening on http:\/\/127\.0\.0\.1:\d+/);
      expect(app.output()).toContain('a record with fields');
    }
  });

  it('loads zod when the config needs the schema: a value the fast path leaves to it', async () => {
    const app = await run(join(root, 'apps/quickstart/dist/main.js'), {
      server: [{ ip: '127.0.0.1', port: 0 }],
      log: { scopes: { '127.0.0.1::': { debug: false } } },
    });
    const urls = await app.stop();
    expect(loaded(urls, '/node_modules/zod/')).toBe(true);
  });
});
