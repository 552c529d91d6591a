/**
 * The benchmark suite: every server of `servers/` in every scenario of `suite/scenarios.ts`.
 *
 *   pnpm bench                         # tsc -b && node apps/bench/dist/run.js: the full suite
 *   pnpm bench --smoke                 # one round, 1 s per load, fewer clients, no bars
 *   node apps/bench/dist/run.js --scenario plaintext,browser-like --servers ours,fastify,raw-net
 *   node apps/bench/dist/run.js --serve ours     # one server on port 5900, in the foreground
 *   pnpm bench compare --before <dir or git rev> # two builds of ours, before and after (compare.ts)
 *   pnpm bench instructions -- node server.js    # instructions per request of any server (instructions.ts)
 *   pnpm bench against-raw                       # instructions per request, ours / raw net (against-raw.ts)
 *   pnpm bench profile-start | profile | parse | idle-snapshot | heap-summary | heap-edges
 *                                                # where time and memory go (analysis/)
 *   pnpm bench sse-writes                        # write system calls per SSE event (sse-writes.ts)
 *   pnpm bench --help, pnpm bench NAME --help    # the options; an unknown one is refused (exit 2)
 *
 * Options: --rounds N (3), --duration S (5), --warmup S (2), --connections N (64),
 * --sse-clients N (1000), --idle N (10000), --cold-samples N (5), --out DIR (results JSON;
 * default apps/bench/results, or a temporary directory for --smoke), --docs FILE and
 * --charts DIR (where the report goes; default docs/benchmarks.md and docs/benchmarks/ for a
 * full run of every scenario and server, none otherwise), --no-lock. Only that full run writes
 * results/latest.json; a run of some scenarios or servers writes results/partial.json.
 *
 * Each server runs in its own process pinned to core 0 (`taskset -c 0`, open-file limit raised
 * to the hard limit); wrk and the client processes run pinned to core 1, and so does this
 * runner. Per round, each scenario runs its servers one after the other, the order reversed
 * every other round; a fresh server process per scenario. A full run holds
 * /tmp/bbws-bench.lock (flock) so two benchmarks never share the cores.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Args, type CommandSpec, HelpRequested, UsageError } from './analysis/args.js';
import { writeReport } from './report.js';
import type { Figures, ScenarioDef, ScenarioResult, ServerResult, SuiteResults } from './suite/model.js';
import {
  measure,
  prepareDir,
  type Running,
  SCENARIOS,
  SERVERS,
  type Settings,
  serverById,
  startServer,
} from './suite/scenarios.js';
import { LOAD_OPTIONS, loadSettings, recordedLoad } from './suite/settings.js';
import { LOCK, median, spawnPinned, stop } from './suite/tools.js';

const SELF = fileURLToPath(import.meta.url);
const BENCH_ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPO_ROOT = join(BENCH_ROOT, '..', '..');
const PORT = 5901;

const argv = process.argv.slice(2);

/** The suite's options (a function: SUBCOMMANDS, which its text names, is defined below). */
const runOptions = (): CommandSpec => ({
  usage: 'run.js [options]  or  run.js SUBCOMMAND [options]',
  about: [
    'The benchmark suite: every server in every scenario, 3 rounds, each server pinned to core 0',
    'and wrk to core 1. Writes the results JSON, and docs/benchmarks.md with its charts for a full run.',
    `Subcommands (run.js SUBCOMMAND --help): ${Object.keys(SUBCOMMANDS).join(', ')}.`,
  ].join('\n'),
  options: {
    scenario: {
      value: 'IDS',
      help: `the scenarios to run, comma-separated (default all): ${SCENARIOS.map((s) => s.id).join(', ')}`,
    },
    servers: {
      value: 'IDS',
      help: `the servers to run, comma-separated (default each scenario's): ${SERVERS.map((s) => s.id).join(', ')}`,
    },
    rounds: {
      value: 'N',
      help: 'rounds, the order of the servers reversed every other one (3; 1 with --smoke)',
    },
    ...LOAD_OPTIONS,
    out: {
      value: 'DIR',
      help: 'where the results JSON goes (apps/bench/results; a temporary directory with --smoke)',
    },
    docs: {
      value: 'FILE',
      help: 'the markdown page to write the report into (docs/benchmarks.md for a full run)',
    },
    charts: { value: 'DIR', help: 'where the SVG charts go (docs/benchmarks/ for a full run); with --docs' },
    serve: { value: 'ID', help: 'only start server ID on 127.0.0.1:5900, pinned to core 0, until Ctrl-C' },
    smoke: { help: 'one short round of everything (1 s loads, fewer clients), no report' },
    'no-lock': { help: `do not take ${LOCK} (you hold it already)` },
  },
});

/** Names `--serve` took before the suite had ids. */
const LEGACY_NAMES: Readonly<Record<string, string>> = {
  bbwebservice: 'ours',
  'node:http': 'node-http',
  'raw net': 'raw-net',
};

/** The suite's command line, read and checked before anything runs. */
interface SuiteOptions {
  readonly args: Args;
  readonly smoke: boolean;
  readonly scenarioIds: readonly string[];
  readonly serverIds: readonly string[] | undefined;
  readonly rounds: number;
  readonly load: ReturnType<typeof loadSettings>;
  readonly serve: string | undefined;
}

function suiteOptions(argv: readonly string[]): SuiteOptions {
  if (argv[0] !== undefined && !argv[0].startsWith('-'))
    throw new UsageError(`unknown subcommand ${argv[0]} (known: ${Object.keys(SUBCOMMANDS).join(', ')})`);
  const args = new Args(argv, runOptions());
  const smoke = args.has('smoke');
  const serve = args.optional('serve');
  if (serve !== undefined) serverById(LEGACY_NAMES[serve] ?? serve);
  const scenarioIds = args.list(
    'scenario',
    SCENARIOS.map((s) => s.id),
    SCENARIOS.map((s) => s.id),
    'scenario',
  );
  const serverIds =
    args.optional('servers') === undefined
      ? undefined
      : args.list(
          'servers',
          [],
          SERVERS.map((s) => s.id),
          'server',
        );
  if (
    (args.optional('docs') === undefined) !== (args.optional('charts') === undefined) &&
    !isEverything(args)
  )
    throw new UsageError(
      '--docs and --charts go together (both, or neither) unless the run is the full suite',
    );
  return {
    args,
    smoke,
    scenarioIds,
    serverIds,
    rounds: args.integer('rounds', smoke ? 1 : 3, 1),
    load: loadSettings(args, smoke),
    serve,
  };
}

/** A full run of every scenario and server: the one that writes latest.json and the docs. */
function isEverything(args: Args): boolean {
  return (
    args.optional('scenario') === undefined && args.optional('servers') === undefined && !args.has('smoke')
  );
}

function requireWrk(): void {
  try {
    execFileSync('wrk', ['-v'], { stdio: 'ignore' });
  } catch (error) {
    // wrk -v exits 1 after printing its version; only a missing binary is ENOENT.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(
        'wrk is not installed. Install it with: apt-get update && apt-get install -y wrk\n',
      );
      process.exit(2);
    }
  }
  for (const tool of ['taskset', 'flock']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
    } catch {
      process.stderr.write(`${tool} is not installed (Debian: util-linux)\n`);
      process.exit(2);
    }
  }
}

async function serveOne(name: string): Promise<void> {
  const server = serverById(LEGACY_NAMES[name] ?? name);
  const dir = mkdtempSync(join(tmpdir(), 'bbws-bench-'));
  const settings = { port: 5900, dir } as Settings;
  prepareDir(settings, randomBytes(16 << 20));
  const child = spawnPinned(0, [join(BENCH_ROOT, 'dist', 'servers', server.entry)], {
    BENCH_PORT: '5900',
    BENCH_DIR: dir,
  });
  process.stderr.write(
    `${server.label} on 127.0.0.1:5900 (pid ${child.pid}), pinned to core 0; Ctrl-C stops it\n`,
  );
  process.once('SIGINT', () => child.kill('SIGKILL'));
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}

function summarize(rounds: Figures[]): Figures {
  const keys = new Set(rounds.flatMap((r) => Object.keys(r)));
  const out: Figures = {};
  for (const key of keys)
    out[key] = median(rounds.map((r) => r[key]).filter((v): v is number => v !== undefined));
  return out;
}

async function main(options: SuiteOptions): Promise<void> {
  const { args, smoke, scenarioIds, serverIds, rounds } = options;
  const dir = mkdtempSync(join(tmpdir(), 'bbws-bench-'));
  const settings: Settings = { port: PORT, dir, ...options.load };
  const everything = isEverything(args);
  const outDir =
    args.optional('out') ??
    (smoke ? mkdtempSync(join(tmpdir(), 'bbws-bench-smoke-')) : join(BENCH_ROOT, 'results'));
  const docs = args.optional('docs') ?? (everything ? join(REPO_ROOT, 'docs', 'benchmarks.md') : undefined);
  const charts = args.optional('charts') ?? (everything ? join(REPO_ROOT, 'docs', 'benchmarks') : undefined);

  const content = randomBytes(16 << 20);
  prepareDir(settings, content);
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').trim();
  const startedAt = new Date().toISOString();
  const scenarios = SCENARIOS.filter((s) => scenarioIds.includes(s.id)).map((s) => ({
    ...s,
    servers: serverIds === undefined ? s.servers : s.servers.filter((id) => serverIds.includes(id)),
  }));
  const figures = new Map<string, Figures[]>();
  const errors = new Map<string, string[]>();
  const record = (round: number, scenario: ScenarioDef, id: string, result: Figures | Error) => {
    const key = `${scenario.id}/${id}`;
    const where = `round ${round + 1} ${scenario.id.padEnd(12)} ${id.padEnd(13)}`;
    if (result instanceof Error) {
      errors.set(key, [...(errors.get(key) ?? []), `round ${round + 1}: ${result.message}`]);
      process.stderr.write(`${where} FAILED: ${result.message}\n`);
    } else {
      figures.set(key, [...(figures.get(key) ?? []), result]);
      process.stderr.write(
        `${where} ${scenario.metrics.map((m) => `${m.key} ${Number(result[m.key]).toFixed(2)}`).join(', ')}\n`,
      );
    }
  };
  const attempt = async (round: number, scenario: ScenarioDef, id: string, running: Running | undefined) => {
    try {
      record(round, scenario, id, await measure(scenario, serverById(id), running, settings, content));
    } catch (error) {
      record(round, scenario, id, error instanceof Error ? error : new Error(String(error)));
    }
  };
  /** Writes the results of the rounds so far (after each round, so a cut-short run keeps them). */
  const save = (roundsDone: number) => {
    const scenarioResults: ScenarioResult[] = scenarios.map((scenario) => {
      const fastify = figures.get(`${scenario.id}/fastify`);
      const results: ServerResult[] = scenario.servers.map((id) => {
        const server = serverById(id);
        const own = figures.get(`${scenario.id}/${id}`) ?? [];
        const vsFastify: Figures = {};
        if (fastify !== undefined && fastify.length === own.length) {
          for (const metric of scenario.metrics) {
            vsFastify[metric.key] = median(
              own.map((r, i) => (r[metric.key] as number) / (fastify[i]?.[metric.key] as number)),
            );
          }
        }
        return {
          id,
          label: server.label,
          rounds: own,
          median: summarize(own),
          vsFastify,
          ...(errors.has(`${scenario.id}/${id}`) ? { errors: errors.get(`${scenario.id}/${id}`) } : {}),
        };
      });
      return { ...scenario, results };
    });
    const results: SuiteResults = {
      meta: {
        mode: smoke ? 'smoke' : 'full',
        startedAt,
        finishedAt: new Date().toISOString(),
        node: process.version,
        cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
        rounds: roundsDone,
        ...recordedLoad(settings),
        loadAverage: { before: loadBefore, after: readFileSync('/proc/loadavg', 'utf8').trim() },
        command: `node apps/bench/dist/run.js ${argv.join(' ')}`.trim(),
      },
      scenarios: scenarioResults,
    };
    mkdirSync(outDir, { recursive: true });
    // Only a full run of everything replaces the committed latest.json.
    const jsonPath = join(outDir, smoke ? 'smoke.json' : everything ? 'latest.json' : 'partial.json');
    writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
    process.stderr.write(`results: ${jsonPath}\n`);
    if (docs !== undefined && charts !== undefined) {
      writeReport(results, { markdown: docs, charts });
      process.stderr.write(`report: ${docs}, charts in ${charts}\n`);
    }
  };

  try {
    for (let round = 0; round < rounds; round++) {
      if (!smoke) {
        // Scenario by scenario, a fresh server process for each measurement.
        for (const scenario of scenarios) {
          const order = round % 2 === 0 ? scenario.servers : [...scenario.servers].reverse();
          for (const id of order) {
            let running: Running | undefined;
            try {
              if (scenario.kind !== 'cold') running = await startServer(serverById(id), settings);
              await attempt(round, scenario, id, running);
            } catch (error) {
              record(round, scenario, id, error as Error);
            } finally {
              if (running !== undefined) await stop(running.child);
            }
          }
        }
      } else {
        // Smoke: server by server, one process serving all its scenarios (peak RSS reset before each).
        const ids = SERVERS.map((s) => s.id).filter((id) => scenarios.some((s) => s.servers.includes(id)));
        for (const id of ids) {
          const own = scenarios.filter((s) => s.servers.includes(id));
          let running: Running | undefined;
          const loads = own.filter((s) => s.kind !== 'cold');
          try {
            if (loads.length > 0) running = await startServer(serverById(id), settings);
            for (const scenario of loads) await attempt(round, scenario, id, running);
          } catch (error) {
            for (const scenario of loads) record(round, scenario, id, error as Error);
          } finally {
            if (running !== undefined) await stop(running.child);
          }
          // Cold start spawns processes of its own, on the same port: after the shared one ended.
          for (const scenario of own.filter((s) => s.kind === 'cold'))
            await attempt(round, scenario, id, undefined);
        }
      }
      save(round + 1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  if (errors.size > 0) process.exitCode = 1;
}

/** Subcommands: `run.js NAME ...` (see each module's comment). */
const SUBCOMMANDS: Record<string, () => Promise<(argv: readonly string[]) => unknown>> = {
  // Builds the "before" build first, then takes the lock itself while it measures.
  compare: async () => (await import('./compare.js')).compareMain,
  instructions: async () => (await import('./instructions.js')).instructionsMain,
  'against-raw': async () => (await import('./against-raw.js')).againstRawMain,
  'profile-start': async () => (await import('./analysis/cpu-profile.js')).profileStartMain,
  profile: async () => (await import('./analysis/cpu-profile.js')).profileMain,
  'idle-snapshot': async () => (await import('./analysis/heap.js')).idleSnapshotMain,
  'heap-summary': async () => (await import('./analysis/heap.js')).heapSummaryMain,
  'heap-edges': async () => (await import('./analysis/heap.js')).heapEdgesMain,
  parse: async () => (await import('./analysis/parse-bench.js')).parseMain,
  'sse-writes': async () => (await import('./sse-writes.js')).sseWritesMain,
};

/** Runs `body`; a usage error prints its message (exit 2), `--help` the usage (exit 0). */
async function reportingUsage(command: string, body: () => Promise<unknown>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(error.text);
      return;
    }
    // A usage or input error: its message, not a stack.
    const hint = error instanceof UsageError ? ` (${command} --help lists the options)` : '';
    process.stderr.write(`${command}: ${(error as Error).message}${hint}\n`);
    process.exitCode = 2;
  }
}

const subcommand = argv[0] === undefined ? undefined : SUBCOMMANDS[argv[0]];
if (subcommand !== undefined) {
  await reportingUsage(`run.js ${argv[0]}`, async () => (await subcommand())(argv.slice(1)));
} else {
  let options: SuiteOptions | undefined;
  await reportingUsage('run.js', async () => {
    options = suiteOptions(argv);
  });
  if (options === undefined) {
    // --help printed, or the command line was refused.
  } else if (options.serve !== undefined) {
    await serveOne(options.serve);
  } else {
    requireWrk();
    if (!options.smoke && !options.args.has('no-lock') && process.env.BENCH_LOCK_HELD !== '1') {
      // Run again under flock: the whole run holds the machine-wide benchmark lock.
      try {
        execFileSync('flock', [LOCK, process.execPath, SELF, ...argv], {
          stdio: 'inherit',
          env: { ...process.env, BENCH_LOCK_HELD: '1' },
        });
      } catch (error) {
        process.exitCode = (error as { status?: number }).status ?? 1;
      }
    } else {
      // This runner on core 1 with wrk and the clients; the servers get core 0 to themselves.
      if (existsSync('/usr/bin/taskset'))
        execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
      await main(options);
    }
  }
}
