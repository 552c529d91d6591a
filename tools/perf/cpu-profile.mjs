// A V8 CPU profile of a server under a fixed load, summarised by self time:
//   node tools/perf/cpu-profile.mjs ROOT PEER SCENARIO [REQUESTS] [TOP]
// The server runs with --cpu-prof; load-client.mjs sends 20,000 warm-up requests (not profiled
// separately: they are a small part), then REQUESTS (default 200,000). Prints the functions
// with the most self time, and where each lives.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PORT = Number(process.env.PERF_PORT ?? 5986);
const [root, peer, scenario, requestsArg, topArg] = process.argv.slice(2);
const REQUESTS = Number(requestsArg ?? 200_000);
const TOP = Number(topArg ?? 45);
const dir = `/tmp/lt-cpuprof-${process.pid}`;
const server = spawn(
  process.execPath,
  [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
    path.join(HERE, 'serve.mjs'),
    path.resolve(root),
    peer,
    String(PORT),
  ],
  { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
);
await new Promise((resolve) => server.once('message', resolve));
const client = (n) =>
  execFileSync(
    process.execPath,
    [path.join(HERE, 'load-client.mjs'), String(PORT), '32', String(n), scenario],
    {
      encoding: 'utf8',
    },
  );
client(20_000);
client(REQUESTS);
server.send('exit');
await new Promise((resolve) => server.once('exit', resolve));
await sleep(100);
const file = path.join(dir, readdirSync(dir)[0]);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]);
  const f = node.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log(
  `${file}: ${(total / 1000).toFixed(0)} ms sampled, ${((total / REQUESTS) * 1).toFixed(2)} us/request`,
);
for (const [key, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
  console.log(
    `${((us / total) * 100).toFixed(1).padStart(5)}% ${(us / REQUESTS).toFixed(3).padStart(6)} us  ${key}`,
  );
}
