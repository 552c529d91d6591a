/**
 * Where CPU time goes, from V8's sampling profiler (`--cpu-prof`):
 *
 *   node apps/bench/dist/run.js profile-start [--build DIR] [--top 25] [--keep DIR] [--port 5960]
 *     the quickstart from spawn to the first 200 of GET /hello and a SIGINT stop, by package
 *     (self time of the functions whose code lives in it; V8's parse and compile of a module
 *     count to the module that imports it);
 *   node apps/bench/dist/run.js profile [--build DIR] [--server ours] [--kind browser-like]
 *                                       [--requests 200000] [--top 45] [--keep DIR] [--port 5960]
 *     a server under a fixed load (20,000 warm-up requests, then REQUESTS, 32 connections), by
 *     function, with µs of self time per request.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HEAD_KINDS, type RequestKind, sendRequests } from '../clients/fixed-requests.js';
import { builtDirectory } from '../compare/builds.js';
import { firstOk, measuredEnv } from '../suite/tools.js';
import {
  Args,
  BUILD_OPTION,
  type CommandSpec,
  REPO_ROOT,
  SERVER_ENTRY_OPTIONS,
  serverEntry,
  UsageError,
} from './args.js';

const CONTROLLED = fileURLToPath(new URL('./controlled-server.js', import.meta.url));
const PORT = 5960;

interface Profile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }>;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function readProfile(dir: string): { file: string; profile: Profile } {
  const name = readdirSync(dir).find((n) => n.endsWith('.cpuprofile'));
  if (name === undefined) throw new Error(`no profile written in ${dir}`);
  const file = join(dir, name);
  return { file, profile: JSON.parse(readFileSync(file, 'utf8')) as Profile };
}

/** Self time in µs per key of each sample's frame. */
function selfTime(
  profile: Profile,
  keyOf: (frame: Profile['nodes'][number]['callFrame']) => string,
): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i] as number);
    if (node === undefined) continue;
    const key = keyOf(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  return self;
}

/** The package a script URL belongs to: `zod`, `@bbws/core`, `node (built-in)`, ... */
function packageOf(url: string): string {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return 'node (built-in)';
  const store = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (store !== null) return store[1] as string;
  const ours = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (ours !== null) return ours[1] === 'packages' ? `@bbws/${ours[2]}` : `apps/${ours[2]}`;
  return url;
}

async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

const KEEP = { value: 'DIR', help: 'keep the .cpuprofile in DIR (default: a temporary directory, removed)' };

const PROFILE_START_OPTIONS: CommandSpec = {
  usage: 'run.js profile-start [options]',
  about: [
    'CPU time of the quickstart from spawn to the first 200 of GET /hello and a SIGINT stop, by',
    "package (V8's sampling profiler; a module's parse and compile count to the module that imports it).",
  ].join('\n'),
  options: {
    build: BUILD_OPTION,
    top: { value: 'N', help: 'how many packages to list (25)' },
    keep: KEEP,
    port: { value: 'PORT', help: `where the quickstart listens (${PORT})` },
  },
};

const PROFILE_OPTIONS: CommandSpec = {
  usage: 'run.js profile [options]',
  about: [
    'A server under a fixed load (20,000 warm-up requests, then --requests, 32 connections), by',
    "function, with µs of self time per request (V8's sampling profiler).",
  ].join('\n'),
  options: {
    ...SERVER_ENTRY_OPTIONS,
    kind: { value: 'KIND', help: `${HEAD_KINDS.join(', ')} or a path (browser-like)` },
    requests: { value: 'N', help: 'profiled requests (200000)' },
    top: { value: 'N', help: 'how many functions to list (45)' },
    keep: KEEP,
    port: { value: 'PORT', help: `where the server listens (${PORT})` },
  },
};

export async function profileStartMain(argv: readonly string[]): Promise<void> {
  const args = new Args(argv, PROFILE_START_OPTIONS);
  const build = builtDirectory('build', args.string('build', REPO_ROOT));
  const top = args.number('top', 25);
  const keep = args.optional('keep');
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'bbws-start-prof-'));
  const port = args.number('port', PORT);
  const child = spawn(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-dir',
      dir,
      '--cpu-prof-interval',
      '100',
      join(build.root, 'apps/quickstart/dist/main.js'),
    ],
    {
      cwd: build.root,
      env: measuredEnv({
        BBWS_SERVER_0_PORT: String(port),
        BBWS_SERVER_0_IP: '127.0.0.1',
        NODE_ENV: 'production',
      }),
      stdio: 'ignore',
    },
  );
  try {
    await firstOk(port, performance.now(), child);
    child.kill('SIGINT');
    await ended(child);
    const { file, profile } = readProfile(dir);
    const self = selfTime(profile, (frame) =>
      frame.url === '' && frame.functionName.startsWith('(') ? frame.functionName : packageOf(frame.url),
    );
    const total = [...self.entries()].filter(([k]) => k !== '(idle)').reduce((sum, [, us]) => sum + us, 0);
    console.log(`CPU during start to first 200 and stop (idle excluded): ${(total / 1000).toFixed(1)} ms`);
    for (const [key, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${key}`);
    if (keep !== undefined) console.log(`profile kept in ${file}`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await ended(child);
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

export async function profileMain(argv: readonly string[]): Promise<void> {
  const args = new Args(argv, PROFILE_OPTIONS);
  const { entry, id } = serverEntry(args);
  const kind = args.string('kind', 'browser-like') as RequestKind;
  if (!kind.startsWith('/') && !HEAD_KINDS.includes(kind as never))
    throw new UsageError(`--kind is ${HEAD_KINDS.join(', ')} or a path, not ${kind}`);
  const requests = args.number('requests', 200_000);
  const top = args.number('top', 45);
  const keep = args.optional('keep');
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'bbws-cpuprof-'));
  const port = args.number('port', PORT);
  const child = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, CONTROLLED, entry, String(port)],
    {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  try {
    await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`${id} exited (${code}) before it was ready`)));
    });
    await sendRequests(port, kind, 20_000, 32);
    await sendRequests(port, kind, requests, 32, 20_001);
    child.send('exit');
    await ended(child);
    const { file, profile } = readProfile(dir);
    const self = selfTime(
      profile,
      (f) => `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`,
    );
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    console.log(
      `${file}: ${(total / 1000).toFixed(0)} ms sampled, ${(total / requests).toFixed(2)} µs/request`,
    );
    for (const [key, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(
        `${((us / total) * 100).toFixed(1).padStart(5)}% ${(us / requests).toFixed(3).padStart(6)} µs  ${key}`,
      );
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await ended(child);
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
