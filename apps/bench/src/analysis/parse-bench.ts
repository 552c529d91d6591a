/**
 * The request parser alone, in process (`node apps/bench/dist/run.js parse`):
 *
 *   node apps/bench/dist/run.js parse [--build DIR] [--kind browser-like|plaintext] [--rounds 7]
 *                                     [--headers-unread]
 *     CPU ns per head (process.cpuUsage, not wall time: the machine is shared), median of the
 *     rounds of 500,000 heads each; alternate two --build directories on one core to compare;
 *   node apps/bench/dist/run.js parse --instructions [--build DIR] [--kind browser-like]
 *     instructions per head (callgrind, load-independent): two runs under valgrind that differ
 *     only in the heads parsed after the warm-up (10,000 and 40,000); the difference over 30,000.
 *
 * The heads are the suite's (clients/fixed-requests.ts), each its own Buffer as socket reads are.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HEAD_KINDS, type HeadKind, requestHead } from '../clients/fixed-requests.js';
import { builtDirectory } from '../compare/builds.js';
import { hasCallgrind } from '../compare/instructions.js';
import { median } from '../suite/tools.js';
import { Args, BUILD_OPTION, type CommandSpec, REPO_ROOT, UsageError } from './args.js';

const SELF = fileURLToPath(new URL('../run.js', import.meta.url));

interface Parser {
  feed(chunk: Buffer): void;
  next(): unknown;
  readonly head: { readonly headers: readonly unknown[]; readonly path: string };
}

const PARSE_OPTIONS: CommandSpec = {
  usage: 'run.js parse [options]',
  about: [
    'The request parser alone, in process: CPU ns per head (process.cpuUsage), the median of the',
    'rounds of 500,000 heads; with --instructions, instructions per head under callgrind.',
  ].join('\n'),
  options: {
    build: BUILD_OPTION,
    kind: { value: 'KIND', help: `${HEAD_KINDS.join(', ')} (browser-like)` },
    rounds: { value: 'N', help: 'rounds of 500,000 heads (7)' },
    instructions: { help: 'instructions per head under callgrind instead of CPU time' },
    'headers-unread': { help: 'never read the header list (as a route that reads no header)' },
    count: {
      value: 'N',
      help: 'parse exactly N heads after the warm-up and print nothing (what --instructions runs)',
    },
  },
};

export async function parseMain(argv: readonly string[]): Promise<void> {
  const args = new Args(argv, PARSE_OPTIONS);
  // --headers-unread: the header list is never read (as on a route that reads no header), so a
  // parser that cuts it lazily never does.
  const headersUnread = args.has('headers-unread');
  const build = builtDirectory('build', args.string('build', REPO_ROOT));
  const kind = args.string('kind', 'browser-like') as HeadKind;
  if (!HEAD_KINDS.includes(kind)) throw new UsageError(`--kind is ${HEAD_KINDS.join(', ')}, not ${kind}`);
  if (args.has('instructions')) {
    if (!hasCallgrind())
      throw new Error('--instructions needs valgrind (Debian: apt-get install -y valgrind)');
    /** Instructions of a whole run that parses `n` heads after the warm-up (callgrind's total, on stderr). */
    const collected = (n: number) => {
      const ran = spawnSync(
        'valgrind',
        [
          '--tool=callgrind',
          '--callgrind-out-file=/dev/null',
          process.execPath,
          SELF,
          'parse',
          '--build',
          build.root,
          '--kind',
          kind,
          '--count',
          String(n),
          ...(headersUnread ? ['--headers-unread'] : []),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 16 << 20 },
      );
      const match = /Collected : (\d+)/.exec(ran.stderr ?? '');
      if (ran.status !== 0 || match === null)
        throw new Error(
          `the parse run under callgrind failed (${ran.status}):\n${(ran.stderr ?? '').slice(-2000)}`,
        );
      return Number(match[1]);
    };
    const few = collected(10_000);
    const many = collected(40_000);
    console.log(`${kind} ${build.root}: ${Math.round((many - few) / 30_000)} instructions per head`);
    return;
  }
  const { RequestParser, REQUEST } = (await import(
    pathToFileURL(join(build.root, 'packages/transport/dist/index.js')).href
  )) as { RequestParser: new (limits: object) => Parser; REQUEST: unknown };
  const limits = { maxUrlLength: 2048, maxHeaderBytes: 16384, maxBodyBytes: 1 << 20 };
  const heads = Array.from({ length: 4096 }, (_, i) => Buffer.from(requestHead(kind, i + 1000), 'latin1'));
  const parser = new RequestParser(limits);
  let sink = 0;
  const run = (count: number) => {
    for (let i = 0; i < count; i++) {
      parser.feed(heads[i & 4095] as Buffer);
      if (parser.next() !== REQUEST) throw new Error('a head did not parse');
      sink += headersUnread ? parser.head.path.length : parser.head.headers.length;
    }
  };
  const fixed = args.optional('count');
  // Warm-up (shorter under callgrind, where every head costs a hundred times more).
  run(fixed === undefined ? 200_000 : 30_000);
  if (fixed !== undefined) {
    // For instruction counts: exactly --count more parses, nothing else.
    run(Number(fixed));
    return;
  }
  const results: number[] = [];
  for (let r = 0; r < args.number('rounds', 7); r++) {
    const count = 500_000;
    const start = process.cpuUsage();
    run(count);
    const used = process.cpuUsage(start);
    results.push(((used.user + used.system) * 1000) / count);
  }
  if (sink === 0) throw new Error('no header was parsed');
  console.log(
    `${kind} ${build.root}: median ${median(results).toFixed(0)} ns/head (min ${Math.min(...results).toFixed(0)}; ${heads[0]?.length} bytes)`,
  );
}
