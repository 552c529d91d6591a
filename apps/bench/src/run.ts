/**
 * The HTTP plaintext benchmark: `GET /hello` on our full controller + DI stack, Fastify 5,
 * plain node:http and a raw `net` server with a canned response (the ceiling).
 *
 *   pnpm bench                      # tsc -b && node apps/bench/dist/run.js
 *   BENCH_DURATION=10s BENCH_ROUNDS=2 node apps/bench/dist/run.js
 *
 * Each server runs in its own process pinned to core 0 (`taskset -c 0`); wrk runs pinned to
 * core 1 with `-t1 -c64 -d10s`, after a short warm-up. Servers run one after the other, in
 * three rounds (`BENCH_ROUNDS`) of alternating order; ratios are taken within each round and
 * the medians reported. The whole run holds /tmp/bbws-bench.lock so two
 * benchmarks never share the cores. Prints requests/s and ratios to Fastify and to the raw
 * ceiling, and checks the bars: ours >= 1.3x Fastify and >= 0.75x raw.
 */
import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { PEERS } from './peers/index.js';

const SELF = fileURLToPath(import.meta.url);
const PORT = 5900;
const CONNECTIONS = 64;
const DURATION = process.env.BENCH_DURATION ?? '10s';
const WARMUP = process.env.BENCH_WARMUP ?? '2s';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? '3');
const LOCK = '/tmp/bbws-bench.lock';

async function serveMode(name: string): Promise<void> {
  const start = PEERS[name];
  if (start === undefined) throw new Error(`unknown peer ${name}`);
  await start(PORT);
  process.send?.('ready');
}

function waitForPort(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let tries = 0;
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (++tries > 100) reject(new Error(`nothing listens on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function wrk(duration: string): number {
  const out = execFileSync(
    'taskset',
    ['-c', '1', 'wrk', '-t1', `-c${CONNECTIONS}`, `-d${duration}`, `http://127.0.0.1:${PORT}/hello`],
    { encoding: 'utf8' },
  );
  const match = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (match === null) throw new Error(`wrk printed no Requests/sec:\n${out}`);
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(out);
  if (errors !== null) process.stderr.write(`  wrk reported: ${errors[0]}\n`);
  return Number(match[1]);
}

async function measure(name: string): Promise<number> {
  const child = spawn('taskset', ['-c', '0', process.execPath, SELF, '--serve', name], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    await waitForPort(PORT);
    await sanityCheck(name);
    wrk(WARMUP);
    return wrk(DURATION);
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/** Every peer must answer the same 200 body before it is timed. */
async function sanityCheck(name: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${PORT}/hello`);
  const body = await response.text();
  if (response.status !== 200 || body !== 'Hello from bbwebservice!') {
    throw new Error(`${name} answered ${response.status} ${JSON.stringify(body)}`);
  }
}

function format(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function main(): Promise<void> {
  const names = Object.keys(PEERS);
  const rounds: Array<Map<string, number>> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    const results = new Map<string, number>();
    for (const name of order) {
      const rps = await measure(name);
      results.set(name, rps);
      process.stderr.write(`  round ${round + 1}: ${name} ${format(rps)} req/s\n`);
    }
    rounds.push(results);
  }
  // Ratios are taken within a round (the peers ran minutes apart at most), then the median.
  const rpsOf = (name: string) => median(rounds.map((r) => r.get(name) ?? 0));
  const ratioOf = (name: string, peer: string) =>
    median(rounds.map((r) => (r.get(name) ?? 0) / (r.get(peer) ?? 1)));
  const vsFastify = ratioOf('bbwebservice', 'fastify');
  const vsRaw = ratioOf('bbwebservice', 'raw net');
  const lines = [
    `GET /hello, wrk -t1 -c${CONNECTIONS} -d${DURATION} (taskset -c 1), server taskset -c 0, ${ROUNDS} round(s), medians, ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| server | req/s | vs Fastify | vs raw net |',
    '|---|---:|---:|---:|',
    ...names.map(
      (n) =>
        `| ${n} | ${format(rpsOf(n))} | ${ratioOf(n, 'fastify').toFixed(2)}x | ${ratioOf(n, 'raw net').toFixed(2)}x |`,
    ),
    '',
    'per round (req/s): ' +
      names.map((n) => `${n} ${rounds.map((r) => format(r.get(n) ?? 0)).join(' / ')}`).join('; '),
    '',
    `bar ours >= 1.3x Fastify: ${vsFastify >= 1.3 ? 'met' : 'NOT met'} (${vsFastify.toFixed(2)}x)`,
    `bar ours >= 0.75x raw net: ${vsRaw >= 0.75 ? 'met' : 'NOT met'} (${vsRaw.toFixed(2)}x)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt !== -1) {
  await serveMode(process.argv[serveAt + 1] ?? '');
} else if (process.env.BENCH_LOCK_HELD !== '1') {
  // Re-run under flock so the whole run holds the machine-wide benchmark lock.
  execFileSync('flock', [LOCK, process.execPath, SELF], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_LOCK_HELD: '1' },
  });
} else {
  await main();
}
