/**
 * Instructions per request of any server, counted by callgrind (`pnpm bench instructions`):
 *
 *   node apps/bench/dist/run.js instructions --port 6150 --kind /hello --requests 6000 \
 *     --warmup 30000 -- node apps/bench/dist/core-overhead.js serve controller 6150
 *
 * The server command runs under valgrind (see compare/instructions.ts for how and why the
 * warm-up is long). `--kind`: plaintext, json-param, browser-like (the suite's heads) or a path
 * (one repeated `GET <path>`; default /hello). `--connections` (1: one request at a time, so
 * each is one read and one write whatever the timing). `--retries` (2): counts taken again after
 * another warm-up while V8's compiler holds over 1% of one. `--startup` also counts exec to the first
 * 200 of `GET /hello`. The command gets BENCH_PORT=PORT in its environment (what the suite's
 * servers listen on). Prints one JSON line: `perRequest`, `compilerPerRequest` (and `startup`).
 * For two builds of ours side by side, use `compare --instructions` instead.
 */
import { Args, type CommandSpec, UsageError } from './analysis/args.js';
import { HEAD_KINDS, type RequestKind } from './clients/fixed-requests.js';
import { countInstructions, hasCallgrind } from './compare/instructions.js';

const INSTRUCTIONS_OPTIONS: CommandSpec = {
  usage: 'run.js instructions [options] -- SERVER COMMAND...',
  about: [
    'Instructions per request of any server, counted by callgrind: the server command runs under',
    'valgrind with BENCH_PORT=PORT in its environment. Prints one JSON line.',
  ].join('\n'),
  options: {
    port: { value: 'PORT', help: 'where the server listens (6140)' },
    kind: { value: 'KIND', help: `${HEAD_KINDS.join(', ')} (the suite's heads) or a path (/hello)` },
    requests: { value: 'N', help: 'counted requests (6000)' },
    warmup: { value: 'N', help: 'uncounted requests first (30000)' },
    connections: { value: 'N', help: 'connections (1: one request at a time)' },
    retries: { value: 'N', help: "counts taken again while V8's compiler holds over 1% of one (2)" },
    startup: { help: 'also count exec to the first 200 of GET /hello' },
  },
  rest: 'SERVER COMMAND...',
};

export async function instructionsMain(argv: readonly string[]): Promise<void> {
  const args = new Args(argv, INSTRUCTIONS_OPTIONS);
  const command = args.rest;
  if (!argv.includes('--')) throw new UsageError('no server command: put it after --');
  if (command.length === 0) throw new UsageError('no server command after --');
  const options = {
    port: args.integer('port', 6140, 1),
    kind: args.string('kind', '/hello'),
    requests: args.integer('requests', 6000, 1),
    warmup: args.integer('warmup', 30_000, 1),
    connections: args.integer('connections', 1, 1),
    retries: args.integer('retries', 2, 0),
    startup: args.has('startup'),
  };
  if (!options.kind.startsWith('/') && !HEAD_KINDS.includes(options.kind as never))
    throw new UsageError(`--kind is ${HEAD_KINDS.join(', ')} or a path starting with /, not ${options.kind}`);
  if (!hasCallgrind()) throw new Error('instructions needs valgrind (Debian: apt-get install -y valgrind)');
  const kind = options.kind as RequestKind;
  const result = await countInstructions({
    command,
    // The suite's servers listen on BENCH_PORT; other commands name their port themselves.
    env: { BENCH_PORT: String(options.port) },
    port: options.port,
    startup: options.startup,
    kinds: [kind],
    warmup: options.warmup,
    requests: options.requests,
    connections: options.connections,
    retries: options.retries,
  });
  process.stdout.write(
    `${JSON.stringify({
      command: command.join(' '),
      kind,
      requests: options.requests,
      connections: options.connections,
      warmup: options.warmup,
      ...(result.startup === undefined ? {} : { startup: result.startup }),
      perRequest: result.perRequest[kind]?.perRequest,
      compilerPerRequest: result.perRequest[kind]?.compilerPerRequest,
      warmups: result.perRequest[kind]?.warmups,
    })}\n`,
  );
}
