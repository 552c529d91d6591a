#!/usr/bin/env node
/**
 * Instructions the server executes per request, counted by valgrind's callgrind: a figure that
 * does not depend on what else the machine runs, so two builds can be compared on a shared
 * machine where wall-clock and CPU-time figures move by ±10%.
 *
 *   node tools/callgrind/instructions-per-request.mjs --port 6140 --path /hello \
 *     --requests 6000 --warmup 30000 -- node apps/bench/dist/core-overhead.js serve controller 6140
 *
 * The server command runs under `valgrind --tool=callgrind --instr-atstart=no`; nothing is
 * counted while it starts. Once it answers, `--warmup` requests (default 30000) let V8 compile
 * the hot path. Under valgrind V8's background compiler thread gets little time, so after a
 * few thousand requests optimizing jobs are still queued and finish while counting: with 4000
 * warm-up requests the same build counted 10 to 20% more per request than with 30000 (TurboFan
 * work, and the scavenges of the not yet optimized code's allocations), and how much depends
 * on the build's code and timing, not on its request path. The JSON line therefore also gives
 * `compilerPerRequest` (instructions in `v8::internal::compiler::`, from callgrind_annotate),
 * and a warning goes to stderr when that is over 1% of the total. Then counting is switched on (`callgrind_control -i on`), `--requests` requests are sent over
 * `--connections` keep-alive connections (default 1: one request at a time, so each request is
 * one read and one write whatever the timing; with more, how many requests share a read
 * depends on timing and the count moves by a few percent), and the counts are dumped
 * (`callgrind_control -d`). The result is
 * the dump's instruction total divided by the requests: the whole process, every thread
 * (main thread, V8's compiler and GC helpers). Prints one JSON line.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';

function parseArgs(argv) {
  const split = argv.indexOf('--');
  if (split < 0)
    throw new Error(
      'usage: ... [--port N] [--path P] [--requests N] [--warmup N] [--connections N] -- server command',
    );
  const options = { port: 6140, path: '/hello', requests: 6000, warmup: 30000, connections: 1 };
  const flags = argv.slice(0, split);
  for (let i = 0; i < flags.length; i += 2) {
    const key = flags[i]?.replace(/^--/, '');
    if (!(key in options)) throw new Error(`unknown option ${flags[i]}`);
    options[key] = key === 'path' ? flags[i + 1] : Number(flags[i + 1]);
  }
  return { ...options, command: argv.slice(split + 1) };
}

async function send(pool, path, count, connections) {
  let sent = 0;
  let ok = 0;
  const lane = async () => {
    while (sent < count) {
      sent++;
      const { statusCode, body } = await pool.request({ method: 'GET', path });
      await body.dump();
      if (statusCode === 200) ok++;
    }
  };
  await Promise.all(Array.from({ length: connections }, lane));
  if (ok !== count) throw new Error(`${count - ok} of ${count} requests did not get 200`);
}

async function waitUntilServing(pool, path, child) {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before serving`);
    try {
      const { statusCode, body } = await pool.request({ method: 'GET', path });
      await body.dump();
      if (statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('server did not answer within 300 s');
}

const options = parseArgs(process.argv.slice(2));
const dir = mkdtempSync(join(tmpdir(), 'bbws-callgrind-'));
const child = spawn(
  'valgrind',
  [
    '--tool=callgrind',
    '--instr-atstart=no',
    '--smc-check=all-non-file',
    `--callgrind-out-file=${join(dir, 'callgrind.out.%p')}`,
    ...options.command,
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
let stderr = '';
child.stderr.on('data', (chunk) => {
  stderr = (stderr + chunk).slice(-4000);
});
const pool = new Pool(`http://127.0.0.1:${options.port}`, {
  connections: options.connections,
  pipelining: 1,
});
try {
  await waitUntilServing(pool, options.path, child);
  await send(pool, options.path, options.warmup, options.connections);
  execFileSync('callgrind_control', ['-i', 'on', String(child.pid)], { stdio: 'ignore' });
  await send(pool, options.path, options.requests, options.connections);
  execFileSync('callgrind_control', ['-d', String(child.pid)], { stdio: 'ignore' });
  // The dump is written by the server process between two of its own steps; wait for it.
  let dump = '';
  let dumpFile = '';
  for (let attempt = 0; attempt < 600 && dump === ''; attempt++) {
    const files = readdirSync(dir).filter((name) => /\.\d+$/.test(name) && !name.endsWith('.0'));
    for (const name of files) {
      const text = readFileSync(join(dir, name), 'utf8');
      if (/^totals:/m.test(text)) {
        dump = text;
        dumpFile = join(dir, name);
        break;
      }
    }
    if (dump === '') await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const totals = /^totals:\s+(\d+)/m.exec(dump);
  if (totals === null) throw new Error(`no callgrind dump found in ${dir}\n${stderr}`);
  const instructions = Number(totals[1]);
  const compiler = compilerInstructions(dumpFile);
  const compilerPerRequest = compiler === null ? null : Math.round(compiler / options.requests);
  console.log(
    JSON.stringify({
      command: options.command.join(' '),
      path: options.path,
      requests: options.requests,
      connections: options.connections,
      warmup: options.warmup,
      instructions,
      perRequest: Math.round(instructions / options.requests),
      compilerPerRequest,
    }),
  );
  if (compiler !== null && compiler > instructions * 0.01) {
    console.error(
      `warning: ${((compiler / instructions) * 100).toFixed(1)}% of the counted instructions are V8's optimizing compiler: the warm-up was too short, the figure includes tier-up work (raise --warmup)`,
    );
  }
} finally {
  await pool.close().catch(() => {});
  child.kill('SIGKILL');
  await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Instructions spent in V8's optimizing compiler (TurboFan, `v8::internal::compiler::`) in the
 * dump, or null when callgrind_annotate is missing. Nonzero means functions were still being
 * optimized while counting, so the count includes warm-up rather than only the request path.
 */
function compilerInstructions(file) {
  let out;
  try {
    out = execFileSync('callgrind_annotate', ['--threshold=100', file], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch {
    return null;
  }
  let sum = 0;
  for (const line of out.split('\n')) {
    const match = /^\s*([\d,]+)\s+\([^)]*\)\s+(.*)$/.exec(line);
    if (match?.[2].includes('v8::internal::compiler::')) sum += Number(match[1].replaceAll(',', ''));
  }
  return sum;
}
