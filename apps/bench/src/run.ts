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
import { median, spawnPinned, stop } from './suite/tools.js';

const SELF = fileURLToPath(import.meta.url);
const BENCH_ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPO_ROOT = join(BENCH_ROOT, '..', '..');
const LOCK = '/tmp/bbws-bench.lock';
const PORT = 5901;

const argv = process.argv.slice(2);
function option(name: string): string | undefined {
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? undefined : argv[at + 1];
}
function numberOption(name: string, fallback: number): number {
  const value = option(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a number, not ${value}`);
  return n;
}
const flag = (name: string) => argv.includes(`--${name}`);

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
  const legacy: Record<string, string> = {
    bbwebservice: 'ours',
    'node:http': 'node-http',
    'raw net': 'raw-net',
  };
  const server = serverById(legacy[name] ?? name);
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

async function main(): Promise<void> {
  const smoke = flag('smoke');
  const scenarioIds = option('scenario')?.split(',') ?? SCENARIOS.map((s) => s.id);
  const serverIds = option('servers')?.split(',');
  for (const id of scenarioIds) {
    if (!SCENARIOS.some((s) => s.id === id))
      throw new Error(`unknown scenario ${id} (known: ${SCENARIOS.map((s) => s.id).join(', ')})`);
  }
  for (const id of serverIds ?? []) serverById(id);
  const rounds = numberOption('rounds', smoke ? 1 : 3);
  const dir = mkdtempSync(join(tmpdir(), 'bbws-bench-'));
  const settings: Settings = {
    port: PORT,
    dir,
    warmupSeconds: numberOption('warmup', smoke ? 0 : 2),
    seconds: numberOption('duration', smoke ? 1 : 5),
    connections: numberOption('connections', smoke ? 16 : 64),
    sseClients: numberOption('sse-clients', smoke ? 100 : 1000),
    idleConnections: numberOption('idle', smoke ? 500 : 10_000),
    coldStartSamples: numberOption('cold-samples', smoke ? 1 : 5),
    spinConnections: smoke ? 4 : 16,
  };
  const everything = option('scenario') === undefined && serverIds === undefined && !smoke;
  const outDir =
    option('out') ?? (smoke ? mkdtempSync(join(tmpdir(), 'bbws-bench-smoke-')) : join(BENCH_ROOT, 'results'));
  const docs = option('docs') ?? (everything ? join(REPO_ROOT, 'docs', 'benchmarks.md') : undefined);
  const charts = option('charts') ?? (everything ? join(REPO_ROOT, 'docs', 'benchmarks') : undefined);

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
        warmupSeconds: settings.warmupSeconds,
        seconds: settings.seconds,
        connections: settings.connections,
        sseClients: settings.sseClients,
        idleConnections: settings.idleConnections,
        coldStartSamples: settings.coldStartSamples,
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

const serve = option('serve');
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
};
const subcommand = argv[0] === undefined ? undefined : SUBCOMMANDS[argv[0]];
if (subcommand !== undefined) {
  try {
    await (await subcommand())(argv.slice(1));
  } catch (error) {
    // A usage or input error: its message, not a stack.
    process.stderr.write(`${argv[0]}: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
} else if (serve !== undefined) {
  await serveOne(serve);
} else {
  requireWrk();
  if (!flag('smoke') && !flag('no-lock') && process.env.BENCH_LOCK_HELD !== '1') {
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
    await main();
  }
}
