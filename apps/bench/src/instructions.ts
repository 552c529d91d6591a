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
import { HEAD_KINDS, type RequestKind } from './clients/fixed-requests.js';
import { countInstructions, hasCallgrind } from './compare/instructions.js';

export async function instructionsMain(argv: readonly string[]): Promise<void> {
  const split = argv.indexOf('--');
  if (split === -1)
    throw new Error(
      'usage: run.js instructions [--port N] [--kind K] [--requests N] [--warmup N] [--connections N] [--startup] -- server command',
    );
  const command = argv.slice(split + 1);
  if (command.length === 0) throw new Error('instructions: no server command after --');
  const options = {
    port: 6140,
    kind: '/hello',
    requests: 6000,
    warmup: 30_000,
    connections: 1,
    retries: 2,
    startup: false,
  };
  const flags = argv.slice(0, split);
  for (let i = 0; i < flags.length; i++) {
    const key = flags[i]?.replace(/^--/, '') as keyof typeof options;
    if (!(key in options)) throw new Error(`unknown option ${flags[i]}`);
    if (key === 'startup') options.startup = true;
    else if (key === 'kind') options.kind = flags[++i] ?? '';
    else {
      const value = Number(flags[++i]);
      const least = key === 'retries' ? 0 : 1;
      if (!Number.isInteger(value) || value < least)
        throw new Error(`--${key} needs a whole number >= ${least}`);
      options[key] = value;
    }
  }
  if (!options.kind.startsWith('/') && !HEAD_KINDS.includes(options.kind as never))
    throw new Error(`--kind is ${HEAD_KINDS.join(', ')} or a path starting with /, not ${options.kind}`);
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
