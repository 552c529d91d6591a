/**
 * Before and after: two builds of ours in one run (`pnpm bench compare --before <dir or rev>`).
 *
 *   node apps/bench/dist/run.js compare --before main~3                # a rev: built in a temporary worktree
 *   node apps/bench/dist/run.js compare --before /work/wt/other --scenario browser-like --rounds 5
 *   node apps/bench/dist/run.js compare --before main --instructions   # callgrind counts instead
 *
 * "after" is the tree this runner belongs to (or `--after DIR`, another built checkout). The
 * "before" build is a built checkout's directory, or a git revision, checked out into a
 * temporary worktree, installed and built there before any measuring, and removed at the end.
 *
 * Wall mode (the default) runs the suite's scenarios (`--scenario`, default plaintext,
 * browser-like, idle, cold-start) for our servers (`--servers`, default ours and quickstart;
 * each scenario keeps those it runs), a fresh server process per measurement, pinned to core 0
 * as in the suite; per scenario and server, the two builds alternate in order from round to
 * round, and the ratio after / before is taken within each round. Options as in the suite:
 * --rounds (3), --duration, --warmup, --connections, --idle, --sse-clients, --cold-samples.
 *
 * `--instructions` counts instructions with callgrind instead (load-independent): per build and
 * server, one run under valgrind; with cold-start among the scenarios, the instructions from
 * exec to the first 200; per plaintext, json-param or browser-like scenario, the instructions
 * per request (`--requests` 6000 after `--ir-warmup` 30000, on `--ir-connections` 1; while V8's
 * optimising compiler holds over 1% of a count, it is taken again after another warm-up,
 * `--ir-retries` 2 times at most).
 *
 * Prints a markdown table and writes a JSON file (`--out FILE`; default
 * apps/bench/results/compare.json, or one in a temporary directory with --smoke). `--smoke`:
 * one round, 1 s loads, few clients, short counts. `--port` (5902): where the servers listen;
 * a port something answers on already fails the measurement. Measuring holds /tmp/bbws-bench.lock
 * (taken after building; `--no-lock` when you hold it already).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Args, type CommandSpec, UsageError } from './analysis/args.js';
import { HEAD_KINDS, type HeadKind } from './clients/fixed-requests.js';
import { type Build, builtDirectory, entryIn, prepareBefore } from './compare/builds.js';
import { countInstructions, hasCallgrind } from './compare/instructions.js';
import type { Figures, ServerDef } from './suite/model.js';
import {
  measure,
  prepareDir,
  type Running,
  SCENARIOS,
  type Settings,
  serverById,
  startServer,
} from './suite/scenarios.js';
import { LOAD_OPTIONS, loadSettings, recordedLoad } from './suite/settings.js';
import { LOCK, median, stop } from './suite/tools.js';

const BENCH_ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPO_ROOT = join(BENCH_ROOT, '..', '..');
const DEFAULT_PORT = 5902;
/** The servers that are ours: the ones a comparison of two builds of ours can run. */
const OURS = ['ours', 'ours-offload', 'quickstart'];

export interface CompareRow {
  readonly scenario: string;
  readonly server: string;
  readonly figure: string;
  readonly unit: string;
  readonly better: 'lower' | 'higher';
  /** One value per round. */
  readonly before: number[];
  readonly after: number[];
  /** after / before, per round. */
  readonly ratios: number[];
  readonly beforeMedian: number;
  readonly afterMedian: number;
  /** The median of the per-round ratios. */
  readonly ratio: number;
}

export interface CompareResults {
  readonly meta: {
    readonly mode: 'wall' | 'instructions';
    readonly smoke: boolean;
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly node: string;
    readonly cpu: string;
    readonly rounds: number;
    readonly before: { readonly root: string; readonly source: string };
    readonly after: { readonly root: string; readonly source: string };
    readonly settings: Readonly<Record<string, number>>;
    readonly loadAverage: { readonly before: string; readonly after: string };
    readonly command: string;
  };
  readonly rows: CompareRow[];
  readonly errors: string[];
}

/** Holds the benchmark lock until `release()`: a `flock` process that keeps it while its stdin is open. */
export async function holdLock(): Promise<() => Promise<void>> {
  const holder: ChildProcess = spawn('flock', [LOCK, 'sh', '-c', 'echo held; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  process.stderr.write(`waiting for ${LOCK}\n`);
  await new Promise<void>((resolve, reject) => {
    holder.stdout?.once('data', () => resolve());
    holder.once('error', reject);
    holder.once('exit', (code) => reject(new Error(`flock ${LOCK} ended (${code}) before holding it`)));
  });
  return async () => {
    const gone = new Promise((resolve) => holder.once('exit', resolve));
    holder.stdin?.end();
    await gone;
  };
}

function describeTree(root: string): string {
  try {
    const commit = execFileSync('git', ['-C', root, 'rev-parse', '--short=12', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    }).trim();
    return `${root} at ${commit}${dirty === '' ? '' : ' with uncommitted changes'}`;
  } catch {
    return root;
  }
}

/**
 * Throws when something answers on `port` already: a server of another run would answer for the
 * one this run starts, and its figures would be taken for ours.
 */
export async function assertPortFree(port: number): Promise<void> {
  const isTaken = await new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  if (isTaken) throw new Error(`port ${port} is in use by another process: choose another with --port`);
}

function serverIn(build: Build, id: string): ServerDef {
  const server = serverById(id);
  return { id, label: `${server.label}, ${build.name}`, entry: entryIn(build, server.entry) };
}

function ratioRow(
  scenario: string,
  server: string,
  figure: string,
  unit: string,
  better: 'lower' | 'higher',
  before: number[],
  after: number[],
): CompareRow {
  const ratios = after.map((value, i) => value / (before[i] as number));
  return {
    scenario,
    server,
    figure,
    unit,
    better,
    before,
    after,
    ratios,
    beforeMedian: median(before),
    afterMedian: median(after),
    ratio: median(ratios),
  };
}

const fmt = (n: number) => (Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));

/** The markdown table of a comparison. */
export function compareTable(results: CompareResults): string {
  const lines = [
    '| scenario | server | figure | before | after | after / before | per round |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of results.rows) {
    lines.push(
      `| ${row.scenario} | ${row.server} | ${row.figure} (${row.unit}, ${row.better} is better) | ${fmt(row.beforeMedian)} | ${fmt(row.afterMedian)} | ${row.ratio.toFixed(3)} | ${row.ratios.map((r) => r.toFixed(3)).join(' / ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function wallRows(
  builds: readonly [Build, Build],
  plan: ReadonlyArray<{ scenario: (typeof SCENARIOS)[number]; servers: string[] }>,
  settings: Settings,
  rounds: number,
  content: Buffer,
  errors: string[],
): Promise<CompareRow[]> {
  // figures[scenario/server/build] = one Figures per round
  const figures = new Map<string, Figures[]>();
  for (let round = 0; round < rounds; round++) {
    for (const { scenario, servers } of plan) {
      for (const id of servers) {
        const order = round % 2 === 0 ? builds : ([builds[1], builds[0]] as const);
        for (const build of order) {
          const server = serverIn(build, id);
          let running: Running | undefined;
          const key = `${scenario.id}/${id}/${build.name}`;
          try {
            await assertPortFree(settings.port);
            if (scenario.kind !== 'cold') running = await startServer(server, settings);
            const result = await measure(scenario, server, running, settings, content);
            figures.set(key, [...(figures.get(key) ?? []), result]);
            process.stderr.write(
              `round ${round + 1} ${scenario.id.padEnd(12)} ${id.padEnd(12)} ${build.name.padEnd(6)} ${scenario.metrics.map((m) => `${m.key} ${Number(result[m.key]).toFixed(2)}`).join(', ')}\n`,
            );
          } catch (error) {
            const message = `round ${round + 1} ${key}: ${(error as Error).message}`;
            errors.push(message);
            process.stderr.write(`${message} FAILED\n`);
          } finally {
            if (running !== undefined) await stop(running.child);
          }
        }
      }
    }
  }
  const rows: CompareRow[] = [];
  for (const { scenario, servers } of plan) {
    for (const id of servers) {
      const before = figures.get(`${scenario.id}/${id}/before`) ?? [];
      const after = figures.get(`${scenario.id}/${id}/after`) ?? [];
      // Ratios within a round only: a pair with a failed measurement gets no row (errors lists it).
      if (before.length !== rounds || after.length !== rounds) continue;
      for (const metric of scenario.metrics) {
        rows.push(
          ratioRow(
            scenario.id,
            id,
            metric.label,
            metric.unit,
            metric.better,
            before.map((f) => f[metric.key] as number),
            after.map((f) => f[metric.key] as number),
          ),
        );
      }
    }
  }
  return rows;
}

async function instructionRows(
  builds: readonly [Build, Build],
  servers: readonly string[],
  startup: boolean,
  kinds: readonly HeadKind[],
  counts: { warmup: number; requests: number; connections: number; retries: number },
  rounds: number,
  dir: string,
  port: number,
  errors: string[],
): Promise<CompareRow[]> {
  const values = new Map<string, number[]>();
  const push = (key: string, value: number) => values.set(key, [...(values.get(key) ?? []), value]);
  const figures: Array<{ scenario: string; server: string; figure: string }> = [];
  for (const id of servers) {
    // The quickstart answers GET /hello only: its start is counted, not its requests.
    const own = id === 'quickstart' ? [] : kinds;
    if (startup)
      figures.push({ scenario: 'cold-start', server: id, figure: 'instructions, exec to first 200' });
    for (const kind of own) figures.push({ scenario: kind, server: id, figure: 'instructions per request' });
    if (!startup && own.length === 0) continue;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? builds : ([builds[1], builds[0]] as const);
      for (const build of order) {
        const entry = serverIn(build, id).entry;
        try {
          await assertPortFree(port);
          const result = await countInstructions({
            command: [process.execPath, entry],
            env: {
              BENCH_PORT: String(port),
              BENCH_DIR: dir,
              ...(id === 'quickstart' ? { BBWS_CONFIG: join(dir, 'quickstart-config.json') } : {}),
            },
            port,
            startup,
            kinds: own,
            ...counts,
          });
          const shown: string[] = [];
          if (result.startup !== undefined) {
            push(`cold-start/${id}/${build.name}`, result.startup);
            shown.push(`start ${fmt(result.startup)}`);
          }
          for (const kind of own) {
            const count = result.perRequest[kind];
            if (count === undefined) continue;
            push(`${kind}/${id}/${build.name}`, count.perRequest);
            shown.push(
              `${kind} ${fmt(count.perRequest)}/request (compiler ${count.compilerPerRequest ?? '?'}, ${count.warmups} warm-up(s))`,
            );
          }
          process.stderr.write(
            `round ${round + 1} ${id.padEnd(12)} ${build.name.padEnd(6)} ${shown.join(', ')}\n`,
          );
        } catch (error) {
          const message = `round ${round + 1} instructions ${id}/${build.name}: ${(error as Error).message}`;
          errors.push(message);
          process.stderr.write(`${message} FAILED\n`);
        }
      }
    }
  }
  const rows: CompareRow[] = [];
  for (const { scenario, server, figure } of figures) {
    const before = values.get(`${scenario}/${server}/before`) ?? [];
    const after = values.get(`${scenario}/${server}/after`) ?? [];
    if (before.length !== rounds || after.length !== rounds) continue;
    rows.push(ratioRow(scenario, server, figure, 'instructions', 'lower', before, after));
  }
  return rows;
}

const COMPARE_OPTIONS: CommandSpec = {
  usage: 'run.js compare --before DIR|REV [options]',
  about: [
    'Two builds of ours in one run: "after" is this tree (or --after DIR), "before" a built checkout',
    'or a git revision (built in a temporary worktree first). Wall figures by default, alternating',
    'the order each round; --instructions counts instructions with callgrind instead.',
  ].join('\n'),
  options: {
    before: { value: 'DIR|REV', help: 'the "before" build: a built checkout, or a git revision (required)' },
    after: { value: 'DIR', help: 'the "after" build (default: this tree)' },
    scenario: {
      value: 'IDS',
      help: 'scenarios (plaintext,browser-like,idle,cold-start); with --instructions: cold-start and the head kinds',
    },
    servers: { value: 'IDS', help: `servers of ours (ours,quickstart): ${OURS.join(', ')}` },
    rounds: { value: 'N', help: 'rounds (3; 1 with --smoke or --instructions)' },
    ...LOAD_OPTIONS,
    'ir-warmup': { value: 'N', help: 'with --instructions: uncounted requests first (30000)' },
    requests: { value: 'N', help: 'with --instructions: counted requests (6000)' },
    'ir-connections': { value: 'N', help: 'with --instructions: connections (1)' },
    'ir-retries': {
      value: 'N',
      help: "with --instructions: counts taken again while V8's compiler holds over 1% (2)",
    },
    port: { value: 'PORT', help: `where the servers listen (${DEFAULT_PORT})` },
    out: {
      value: 'FILE',
      help: 'the JSON results (apps/bench/results/compare.json; a temporary one with --smoke)',
    },
    instructions: { help: 'callgrind instruction counts instead of wall figures' },
    smoke: { help: 'one round, 1 s loads, few clients, short counts' },
    'no-lock': { help: `do not take ${LOCK} (you hold it already)` },
  },
};

/** `run.js compare ...`: see the comment at the top. */
export async function compareMain(argv: readonly string[]): Promise<void> {
  const options = new Args(argv, COMPARE_OPTIONS);
  const beforeSpec = options.optional('before');
  if (beforeSpec === undefined)
    throw new UsageError('compare needs --before <built directory or git revision>');
  const smoke = options.has('smoke');
  const instructions = options.has('instructions');
  const scenarioIds = options.list(
    'scenario',
    ['plaintext', 'browser-like', 'idle', 'cold-start'],
    SCENARIOS.map((s) => s.id),
    'scenario',
  );
  const serverIds = options.list('servers', ['ours', 'quickstart'], OURS, 'server of ours');
  for (const id of scenarioIds) {
    if (instructions && id !== 'cold-start' && !HEAD_KINDS.includes(id as HeadKind))
      throw new UsageError(`--instructions counts cold-start and ${HEAD_KINDS.join(', ')}, not ${id}`);
  }
  if (instructions && !hasCallgrind())
    throw new Error('--instructions needs valgrind (Debian: apt-get install -y valgrind)');
  const rounds = options.integer('rounds', smoke || instructions ? 1 : 3, 1);
  const port = options.integer('port', DEFAULT_PORT, 1);
  const load = loadSettings(options, smoke);
  const counts = {
    warmup: options.integer('ir-warmup', smoke ? 200 : 30_000),
    requests: options.integer('requests', smoke ? 200 : 6000, 1),
    connections: options.integer('ir-connections', 1, 1),
    retries: options.integer('ir-retries', smoke ? 0 : 2),
  };
  const out =
    options.optional('out') ??
    (smoke
      ? join(mkdtempSync(join(tmpdir(), 'bbws-compare-')), 'compare.json')
      : join(BENCH_ROOT, 'results', 'compare.json'));

  // Build first, outside the lock: building is not measuring.
  const after = builtDirectory('after', options.optional('after') ?? REPO_ROOT);
  const afterBuild: Build = { ...after, source: describeTree(after.root) };
  const beforeBuild = prepareBefore(REPO_ROOT, beforeSpec);
  const builds = [
    {
      ...beforeBuild,
      source: beforeBuild.source === beforeBuild.root ? describeTree(beforeBuild.root) : beforeBuild.source,
    },
    afterBuild,
  ] as const;
  const dir = mkdtempSync(join(tmpdir(), 'bbws-compare-'));
  // Ctrl-C or a kill while measuring: the temporary worktree goes too (the servers and clients
  // are children in this process's group, which the terminal's signal reaches as well).
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(dir, { recursive: true, force: true });
    for (const build of builds) build.dispose();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let release: (() => Promise<void>) | null = null;
  try {
    if (!smoke && !options.has('no-lock') && process.env.BENCH_LOCK_HELD !== '1') release = await holdLock();
    // This runner on core 1 with wrk and the clients; the servers get core 0.
    try {
      execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
    } catch {
      // no taskset: unpinned
    }
    const settings: Settings = { port, dir, ...load };
    const content = randomBytes(16 << 20);
    prepareDir(settings, content);
    const loadBefore = readFileSync('/proc/loadavg', 'utf8').trim();
    const startedAt = new Date().toISOString();
    const errors: string[] = [];
    const rows = instructions
      ? await instructionRows(
          builds,
          serverIds,
          scenarioIds.includes('cold-start'),
          HEAD_KINDS.filter((k) => scenarioIds.includes(k)),
          counts,
          rounds,
          dir,
          port,
          errors,
        )
      : await wallRows(
          builds,
          SCENARIOS.filter((s) => scenarioIds.includes(s.id))
            .map((scenario) => ({
              scenario,
              servers: scenario.servers.filter((id) => serverIds.includes(id)),
            }))
            .filter((p) => p.servers.length > 0),
          settings,
          rounds,
          content,
          errors,
        );
    const results: CompareResults = {
      meta: {
        mode: instructions ? 'instructions' : 'wall',
        smoke,
        startedAt,
        finishedAt: new Date().toISOString(),
        node: process.version,
        cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
        rounds,
        before: { root: builds[0].root, source: builds[0].source },
        after: { root: builds[1].root, source: builds[1].source },
        settings: instructions ? counts : { ...recordedLoad(settings) },
        loadAverage: { before: loadBefore, after: readFileSync('/proc/loadavg', 'utf8').trim() },
        command: `node apps/bench/dist/run.js compare ${argv.join(' ')}`,
      },
      rows,
      errors,
    };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(
      `before: ${results.meta.before.source}\nafter: ${results.meta.after.source}\n\n${compareTable(results)}`,
    );
    process.stderr.write(`results: ${out}\n`);
    if (errors.length > 0 || rows.length === 0) process.exitCode = 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await release?.();
    rmSync(dir, { recursive: true, force: true });
    for (const build of builds) build.dispose();
  }
}
