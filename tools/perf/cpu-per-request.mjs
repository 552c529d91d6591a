// Server CPU time per request (user + system from /proc/PID/stat) under wrk load.
//
//   flock /tmp/bbws-bench.lock node tools/perf/cpu-per-request.mjs \
//     --scenario browser --rounds 3 ours=.:bbwebservice base=/work/wt/lean-base:bbwebservice raw=.:'raw net'
//
// Each server runs pinned to core 0 (taskset -c 0), wrk -t1 -c64 pinned to core 1: 2 s of
// warm-up, then 5 s measured; servers alternate in order each round. Scenarios: `repeated`
// (wrk's one GET /hello), `browser` (apps/bench/wrk/browser-like.lua, the suite's ~640-byte
// heads with a changing query and cookie).
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PORT = Number(process.env.PERF_PORT ?? 5980);
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

const args = process.argv.slice(2);
let scenario = 'repeated';
let rounds = 3;
let duration = 5;
let warmup = 2;
const servers = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--scenario') scenario = args[++i];
  else if (arg === '--rounds') rounds = Number(args[++i]);
  else if (arg === '--duration') duration = Number(args[++i]);
  else if (arg === '--warmup') warmup = Number(args[++i]);
  else {
    const [label, spec] = arg.split('=');
    const colon = spec.indexOf(':');
    servers.push({ label, root: path.resolve(spec.slice(0, colon)), peer: spec.slice(colon + 1) });
  }
}
const SCRIPTS = {
  repeated: null,
  browser: path.join(HERE, '../../apps/bench/wrk/browser-like.lua'),
};
if (!(scenario in SCRIPTS)) throw new Error(`unknown scenario ${scenario}`);

function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  return Number(fields[11]) + Number(fields[12]);
}

function wrk(seconds) {
  const wrkArgs = ['-c', '1', 'wrk', '-t1', '-c64', `-d${seconds}s`];
  if (SCRIPTS[scenario] !== null) wrkArgs.push('-s', SCRIPTS[scenario]);
  wrkArgs.push(`http://127.0.0.1:${PORT}/hello`);
  const out = execFileSync('taskset', wrkArgs, { encoding: 'utf8' });
  const requests = /(\d+) requests in/.exec(out);
  if (requests === null) throw new Error(`wrk printed no request count:\n${out}`);
  if (/Non-2xx|Socket errors/.test(out)) process.stderr.write(`  wrk: ${out}`);
  return Number(requests[1]);
}

function waitForPort() {
  return new Promise((resolve, reject) => {
    let tries = 0;
    const attempt = () => {
      const socket = net.connect(PORT, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (++tries > 100) reject(new Error(`nothing listens on ${PORT}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

async function measure(server) {
  const child = spawn(
    'taskset',
    ['-c', '0', process.execPath, path.join(HERE, 'serve.mjs'), server.root, server.peer, String(PORT)],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  try {
    await waitForPort();
    const response = await fetch(`http://127.0.0.1:${PORT}/hello`);
    const body = await response.text();
    if (response.status !== 200 || body !== 'Hello from bbwebservice!')
      throw new Error(`${server.label} answered ${response.status} ${body}`);
    wrk(warmup);
    const before = cpuTicks(child.pid);
    const requests = wrk(duration);
    const after = cpuTicks(child.pid);
    return { us: ((after - before) / TICKS / requests) * 1e6, rps: requests / duration };
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const results = new Map(servers.map((s) => [s.label, []]));
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? servers : [...servers].reverse();
  for (const server of order) {
    const result = await measure(server);
    results.get(server.label).push(result);
    process.stderr.write(
      `round ${round + 1} ${server.label}: ${result.us.toFixed(2)} us/req, ${Math.round(result.rps)} req/s\n`,
    );
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const first = servers[0].label;
console.log(
  `scenario ${scenario}, ${rounds} rounds, wrk -t1 -c64 -d${duration}s, ${new Date().toISOString()}`,
);
for (const server of servers) {
  const runs = results.get(server.label);
  const ratios = runs.map((r, i) => results.get(first)[i].us / r.us);
  console.log(
    `${server.label.padEnd(10)} median ${median(runs.map((r) => r.us)).toFixed(2)} us/req  per round ${runs
      .map((r) => r.us.toFixed(2))
      .join(
        ' / ',
      )}  ${first}/${server.label} per round ${ratios.map((x) => x.toFixed(3)).join(' / ')} (median ${median(ratios).toFixed(3)})`,
  );
}
