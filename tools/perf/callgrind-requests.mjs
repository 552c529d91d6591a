// Instructions the server executes per request (callgrind, user space only; load-independent):
//   node tools/perf/callgrind-requests.mjs ROOT PEER SCENARIO [WARMUP] [REQUESTS]
// The server runs under valgrind; load-client.mjs sends WARMUP requests (default 20,000) on one
// connection (PERF_CONNECTIONS; one keeps the event loop iterations per request fixed), the
// counters are zeroed, REQUESTS more are sent (default 20,000) and the counters dumped.
// Prints instructions per request (Ir) and keeps the dump in /tmp/lt-callgrind.<label>.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PORT = Number(process.env.PERF_PORT ?? 5983);
const [root, peer, scenario, warmupArg, requestsArg] = process.argv.slice(2);
const WARMUP = Number(warmupArg ?? 20_000);
const REQUESTS = Number(requestsArg ?? 20_000);
const dir = `/tmp/lt-callgrind-${process.pid}`;
execFileSync('mkdir', ['-p', dir]);

const server = spawn(
  'valgrind',
  [
    '--tool=callgrind',
    `--callgrind-out-file=${dir}/callgrind.out.%p`,
    process.execPath,
    path.join(HERE, 'serve.mjs'),
    path.resolve(root),
    peer,
    String(PORT),
  ],
  { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] },
);
for (let tries = 0; ; tries++) {
  const ok = await new Promise((resolve) => {
    const s = net.connect(PORT, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
  if (ok) break;
  if (tries > 3000) {
    server.kill('SIGKILL');
    throw new Error('server did not start');
  }
  await sleep(200);
}
process.on('exit', () => server.kill('SIGKILL'));
const client = (n) =>
  execFileSync(
    process.execPath,
    [
      path.join(HERE, 'load-client.mjs'),
      String(PORT),
      process.env.PERF_CONNECTIONS ?? '1',
      String(n),
      scenario,
    ],
    {
      encoding: 'utf8',
    },
  ).trim();
client(WARMUP);
execFileSync('callgrind_control', ['-z', String(server.pid)], { stdio: 'ignore' });
const answered = Number(client(REQUESTS));
execFileSync('callgrind_control', ['-d', String(server.pid)], { stdio: 'ignore' });
server.kill('SIGKILL');
await new Promise((resolve) => server.once('exit', resolve));
// The dump after zeroing is the one with the highest part number.
const dumps = readdirSync(dir).filter((f) => /\.\d+$/.test(f) && f.includes('.out.'));
let best = null;
let bestIr = 0;
for (const f of dumps) {
  const text = readFileSync(path.join(dir, f), 'utf8');
  const m = /^summary: (\d+)/m.exec(text) ?? /^totals: (\d+)/m.exec(text);
  if (m === null) continue;
  const trigger = /^desc: Trigger: (.*)$/m.exec(text)?.[1] ?? '';
  if (trigger.includes('dump') && (best === null || f > best)) {
    best = f;
    bestIr = Number(m[1]);
  }
}
console.log(
  `${path.basename(path.resolve(root))} ${peer} ${scenario}: ${(bestIr / answered).toFixed(0)} Ir/request (${answered} requests, dump ${dir}/${best})`,
);
