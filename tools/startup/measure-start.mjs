#!/usr/bin/env node
// Cold start and memory at start (`pnpm bench:start`): for each server, spawns `node <entry>`,
// polls it with a raw-socket `GET /hello` until it answers 200, and records the time from just
// before spawn() to that 200 and the server's VmRSS (from /proc) right after it. Five rounds by
// default, the order of the servers rotating each round so none always goes first; the table
// gives the median and the spread. The server runs pinned to core 0 and this script to core 1
// where `taskset` exists, as in the measurements.
//
//   node tools/startup/measure-start.mjs [--rounds N] [--json FILE] [--only name,name] [--instructions]
//                                        [--before DIR]
//
// --before DIR adds the quickstart of another built checkout (a worktree of an older commit),
// so a before/after comparison is one run, under the same load.
//
// --instructions runs each server once under valgrind's callgrind instead and reports the
// instructions executed from spawn to the first 200 and a SIGINT stop: a figure that does not
// move with the load of a shared machine, for before/after comparisons of our own code.
//
// Measures the compiled output (apps/quickstart/dist): build first (`pnpm bench:start` does).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
// Ports BASE_PORT.. (one per server); START_BENCH_PORT moves them, for two runs at once.
const BASE_PORT = Number(process.env.START_BENCH_PORT ?? 5950);

/** The servers measured: each answers `GET /hello` with 200 on the port it is given. */
const SERVERS = [
  {
    name: 'bbwebservice quickstart',
    entry: join(root, 'apps/quickstart/dist/main.js'),
    env: (port) => ({ BBWS_SERVER_0_PORT: String(port), BBWS_SERVER_0_IP: '127.0.0.1' }),
  },
  {
    name: 'Hono 4 + @hono/node-server',
    entry: join(here, 'peers/hono-hello.mjs'),
    env: (port) => ({ PORT: String(port) }),
  },
  {
    name: 'node:http',
    entry: join(here, 'peers/node-http-hello.mjs'),
    env: (port) => ({ PORT: String(port) }),
  },
];

function parseArgs(argv) {
  const args = { rounds: 5, json: undefined, only: undefined, instructions: false, before: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--') continue;
    if (flag === '--instructions') {
      args.instructions = true;
      continue;
    }
    if (flag === '--rounds') args.rounds = Number(value);
    else if (flag === '--json') args.json = value;
    else if (flag === '--only') args.only = value.split(',');
    else if (flag === '--before') args.before = value;
    else throw new Error(`unknown argument ${flag}`);
    i++;
  }
  if (!Number.isInteger(args.rounds) || args.rounds < 1)
    throw new Error('--rounds takes a whole number >= 1');
  return args;
}

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
if (hasTaskset) spawnSync('taskset', ['-pc', '1', String(process.pid)]);

/** One GET /hello on a fresh socket: the status code, or undefined when nothing answers. */
function probe(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let head = '';
    socket.setEncoding('latin1');
    socket.once('connect', () =>
      socket.write('GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
    );
    socket.on('data', (chunk) => {
      head += chunk;
      const eol = head.indexOf('\r\n');
      if (eol === -1) return;
      socket.destroy();
      resolve(Number(head.slice(9, 12)));
    });
    socket.once('error', () => resolve(undefined));
    socket.once('close', () => resolve(undefined));
  });
}

/** CPU time (ms) the process's main thread and all its threads have run, from /proc schedstat. */
function cpuMs(pid) {
  const main = Number(readFileSync(`/proc/${pid}/schedstat`, 'latin1').split(' ')[0]) / 1e6;
  let all = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    all += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'latin1').split(' ')[0]) / 1e6;
  }
  return { main, all };
}

function rssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match === null ? Number.NaN : Number(match[1]);
}

/**
 * Spawns `server`, waits for its first 200, and returns ms from spawn, CPU time and RSS (MiB).
 * With `callgrindOut`, runs it under callgrind writing there, and stops it with SIGINT.
 */
async function measureOnce(server, port, callgrindOut) {
  let args = [server.entry];
  if (callgrindOut !== undefined) {
    args = ['--tool=callgrind', `--callgrind-out-file=${callgrindOut}`, process.execPath, ...args];
  }
  const program = callgrindOut === undefined ? process.execPath : 'valgrind';
  const command = hasTaskset ? 'taskset' : program;
  const argv = hasTaskset ? ['-c', '0', program, ...args] : args;
  let stderr = '';
  const start = performance.now();
  const child = spawn(command, argv, {
    cwd: server.cwd ?? root,
    env: { ...process.env, ...server.env(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  try {
    for (let attempt = 0; attempt < 20_000; attempt++) {
      if (exited) throw new Error(`${server.name} exited before answering:\n${stderr}`);
      const status = await probe(port);
      if (status === 200 && callgrindOut !== undefined) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await gone;
        return { instructions: instructionsIn(callgrindOut) };
      }
      if (status === 200) {
        const ms = performance.now() - start;
        const cpu = cpuMs(child.pid);
        return { ms, cpuMainMs: cpu.main, cpuAllMs: cpu.all, rssMiB: rssKiB(child.pid) / 1024 };
      }
      if (status !== undefined) throw new Error(`${server.name} answered ${status}, not 200`);
      await new Promise((resolve) => setTimeout(resolve, callgrindOut === undefined ? 1 : 20));
    }
    throw new Error(`${server.name} did not answer within 20,000 attempts`);
  } finally {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
  }
}

/** Total instructions (Ir) of a callgrind output file, summed over its threads' parts. */
function instructionsIn(prefix) {
  const dir = dirname(prefix);
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!path.startsWith(prefix)) continue;
    const match = /^summary: (\d+)/m.exec(readFileSync(path, 'latin1'));
    if (match !== null) total += Number(match[1]);
    rmSync(path);
  }
  return total;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const args = parseArgs(process.argv.slice(2));
if (args.before !== undefined) {
  SERVERS.splice(1, 0, {
    name: `bbwebservice quickstart, ${args.before}`,
    entry: join(args.before, 'apps/quickstart/dist/main.js'),
    cwd: args.before,
    env: SERVERS[0].env,
  });
}
const servers = SERVERS.filter((s) => args.only === undefined || args.only.some((o) => s.name.includes(o)));
for (const server of servers) {
  if (!existsSync(server.entry)) throw new Error(`${server.entry} is missing: run pnpm build first`);
}
if (args.instructions) {
  const dir = mkdtempSync(join(tmpdir(), 'bbws-start-callgrind-'));
  console.log('| server | instructions, spawn to first 200 and SIGINT stop (millions) |');
  console.log('|---|---|');
  for (const [index, server] of servers.entries()) {
    const { instructions } = await measureOnce(server, BASE_PORT + index, join(dir, `callgrind.${index}`));
    console.log(`| ${server.name} | ${(instructions / 1e6).toFixed(0)} |`);
  }
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
const samples = new Map(servers.map((s) => [s.name, []]));
// One unmeasured start of each first, so the file system cache is warm for all alike.
for (const [index, server] of servers.entries()) await measureOnce(server, BASE_PORT + index);
for (let round = 0; round < args.rounds; round++) {
  for (let k = 0; k < servers.length; k++) {
    const index = (round + k) % servers.length;
    const server = servers[index];
    samples.get(server.name).push(await measureOnce(server, BASE_PORT + index));
  }
}

const rows = servers.map((server) => {
  const runs = samples.get(server.name);
  const ms = runs.map((r) => r.ms);
  const rss = runs.map((r) => r.rssMiB);
  const cpuMain = runs.map((r) => r.cpuMainMs);
  const cpuAll = runs.map((r) => r.cpuAllMs);
  return {
    server: server.name,
    medianMs: median(ms),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    medianCpuMainMs: median(cpuMain),
    medianCpuAllMs: median(cpuAll),
    medianRssMiB: median(rss),
    runs,
  };
});
console.log(
  `node ${process.version}, ${args.rounds} rounds${hasTaskset ? ', server on core 0, poller on core 1' : ''}`,
);
console.log(
  '| server | spawn to first 200 (ms, median) | min-max (ms) | CPU main thread / all threads (ms, median) | RSS after start (MiB, median) |',
);
console.log('|---|---|---|---|---|');
for (const row of rows) {
  console.log(
    `| ${row.server} | ${row.medianMs.toFixed(0)} | ${row.minMs.toFixed(0)}-${row.maxMs.toFixed(0)} | ${row.medianCpuMainMs.toFixed(0)} / ${row.medianCpuAllMs.toFixed(0)} | ${row.medianRssMiB.toFixed(1)} |`,
  );
}
if (args.json !== undefined)
  writeFileSync(args.json, `${JSON.stringify({ node: process.version, rows }, null, 2)}\n`);
