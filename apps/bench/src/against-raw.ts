/**
 * Instructions per request of ours against the raw `net` server, in one run
 * (`pnpm bench against-raw`): the load-independent second source for the issue-15 bars that
 * compare our server CPU per request with raw net's.
 *
 *   node apps/bench/dist/run.js against-raw                                  # plaintext and browser-like, 1 round
 *   node apps/bench/dist/run.js against-raw --scenario browser-like --rounds 3 --port 7390
 *
 * Per round, each server (`--server`, default ours; and `raw-net`) runs once under callgrind
 * (compare/instructions.ts: counting off for `--warmup` requests, on for `--requests`), the two
 * in turn, the order reversed every other round. The ratio ours / raw net is taken within a
 * round; the table gives the median counts, the median ratio and each round's ratio. Counts are
 * user-space instructions of the whole process: the kernel's share of a read or a write (the
 * same for both servers) is not in them, so the ratio of counts is not the ratio of CPU time;
 * it says whether a change moved ours, where CPU time on a shared machine cannot.
 *
 * Options: --scenario (plaintext,browser-like; json-param too), --server (ours), --rounds (1),
 * --requests (6000), --warmup (30000), --connections (1), --retries (2), --port (5903),
 * --build DIR (a built checkout; default this tree), --out FILE (JSON). Takes no lock: the
 * counts do not depend on what else runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Args, type CommandSpec, REPO_ROOT, UsageError } from './analysis/args.js';
import { HEAD_KINDS, type HeadKind } from './clients/fixed-requests.js';
import { builtDirectory, entryIn } from './compare/builds.js';
import { countInstructions, hasCallgrind } from './compare/instructions.js';
import { serverById } from './suite/scenarios.js';
import { median } from './suite/tools.js';

const DEFAULT_PORT = 5903;
const RAW = 'raw-net';

export interface AgainstRawRow {
  readonly scenario: HeadKind;
  /** Instructions per request, one per round. */
  readonly ours: number[];
  readonly raw: number[];
  /** ours / raw, per round. */
  readonly ratios: number[];
  readonly oursMedian: number;
  readonly rawMedian: number;
  readonly ratio: number;
  /** Instructions per request in V8's optimising compiler, per round (null: not known). */
  readonly oursCompiler: Array<number | null>;
  readonly rawCompiler: Array<number | null>;
}

export interface AgainstRawResults {
  readonly meta: {
    readonly server: string;
    readonly build: string;
    readonly rounds: number;
    readonly node: string;
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly settings: Readonly<Record<string, number>>;
    readonly command: string;
  };
  readonly rows: AgainstRawRow[];
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The markdown table of a run. */
export function againstRawTable(results: AgainstRawResults): string {
  const lines = [
    `| scenario | ${results.meta.server}, instructions/request | raw net, instructions/request | ${results.meta.server} / raw net | per round |`,
    '|---|---|---|---|---|',
  ];
  for (const row of results.rows) {
    lines.push(
      `| ${row.scenario} | ${fmt(row.oursMedian)} | ${fmt(row.rawMedian)} | ${row.ratio.toFixed(3)} | ${row.ratios.map((r) => r.toFixed(3)).join(' / ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const AGAINST_RAW_OPTIONS: CommandSpec = {
  usage: 'run.js against-raw [options]',
  about: [
    'Instructions per request (callgrind) of a server of ours and of raw net in one run, taking',
    'turns, the order flipped every other round; the ratio ours / raw net per round. The counts',
    "leave out the kernel's part: they say whether a change helped, not whether a bar is met.",
  ].join('\n'),
  options: {
    scenario: { value: 'KINDS', help: `head kinds (plaintext,browser-like): ${HEAD_KINDS.join(', ')}` },
    server: { value: 'ID', help: 'the server held against raw net (ours)' },
    build: { value: 'DIR', help: 'a built checkout to count (this tree)' },
    rounds: { value: 'N', help: 'rounds (1)' },
    port: { value: 'PORT', help: `where the servers listen (${DEFAULT_PORT})` },
    warmup: { value: 'N', help: 'uncounted requests first (30000)' },
    requests: { value: 'N', help: 'counted requests (6000)' },
    connections: { value: 'N', help: 'connections (1)' },
    retries: { value: 'N', help: "counts taken again while V8's compiler holds over 1% (2)" },
    out: { value: 'FILE', help: 'also write the results as JSON' },
  },
};

/** `run.js against-raw ...`: see the comment at the top. */
export async function againstRawMain(argv: readonly string[]): Promise<void> {
  const args = new Args(argv, AGAINST_RAW_OPTIONS);
  const kinds = args.string('scenario', 'plaintext,browser-like').split(',') as HeadKind[];
  for (const kind of kinds) {
    if (!HEAD_KINDS.includes(kind))
      throw new UsageError(`--scenario takes ${HEAD_KINDS.join(', ')}, not ${kind}`);
  }
  const serverId = args.string('server', 'ours');
  if (serverId === RAW)
    throw new UsageError('--server is the server to hold against raw net, not raw net itself');
  const rounds = args.integer('rounds', 1, 1);
  const port = args.integer('port', DEFAULT_PORT, 1);
  const counts = {
    warmup: args.integer('warmup', 30_000, 1),
    requests: args.integer('requests', 6000, 1),
    connections: args.integer('connections', 1, 1),
    retries: args.integer('retries', 2, 0),
  };
  if (!hasCallgrind()) throw new Error('against-raw needs valgrind (Debian: apt-get install -y valgrind)');
  const build = builtDirectory('build', args.string('build', REPO_ROOT));
  const entries = new Map([
    [serverId, entryIn(build, serverById(serverId).entry)],
    [RAW, entryIn(build, serverById(RAW).entry)],
  ]);
  const startedAt = new Date().toISOString();
  // values[kind/server] = one count per round
  const values = new Map<string, Array<{ perRequest: number; compiler: number | null }>>();
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [serverId, RAW] : [RAW, serverId];
    for (const id of order) {
      const result = await countInstructions({
        command: [process.execPath, entries.get(id) as string],
        env: { BENCH_PORT: String(port) },
        port,
        startup: false,
        kinds,
        ...counts,
      });
      const shown: string[] = [];
      for (const kind of kinds) {
        const count = result.perRequest[kind];
        if (count === undefined) throw new Error(`no ${kind} count for ${id}`);
        const key = `${kind}/${id}`;
        values.set(key, [
          ...(values.get(key) ?? []),
          { perRequest: count.perRequest, compiler: count.compilerPerRequest },
        ]);
        shown.push(`${kind} ${fmt(count.perRequest)}/request (compiler ${count.compilerPerRequest ?? '?'})`);
      }
      process.stderr.write(`round ${round + 1} ${id.padEnd(8)} ${shown.join(', ')}\n`);
    }
  }
  const rows = kinds.map((kind): AgainstRawRow => {
    const ours = values.get(`${kind}/${serverId}`) ?? [];
    const raw = values.get(`${kind}/${RAW}`) ?? [];
    const ratios = ours.map((count, i) => count.perRequest / (raw[i]?.perRequest as number));
    return {
      scenario: kind,
      ours: ours.map((c) => c.perRequest),
      raw: raw.map((c) => c.perRequest),
      ratios,
      oursMedian: median(ours.map((c) => c.perRequest)),
      rawMedian: median(raw.map((c) => c.perRequest)),
      ratio: median(ratios),
      oursCompiler: ours.map((c) => c.compiler),
      rawCompiler: raw.map((c) => c.compiler),
    };
  });
  const results: AgainstRawResults = {
    meta: {
      server: serverId,
      build: build.root,
      rounds,
      node: process.version,
      startedAt,
      finishedAt: new Date().toISOString(),
      settings: counts,
      command: `node apps/bench/dist/run.js against-raw ${argv.join(' ')}`.trim(),
    },
    rows,
  };
  const out = args.optional('out');
  if (out !== undefined) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  }
  process.stdout.write(againstRawTable(results));
}
