// Offload benchmark: GET /spin answered after ~2 ms of CPU in a worker thread, through our
// transport, with the pool being either our WorkerPool or piscina 5. Same worker count (1),
// one task per worker at a time, a job timeout on both (AbortSignal.timeout for piscina).
// Server pinned to core 0 (its worker too), wrk pinned to core 1. See docs/benchmarks.md.
//   flock /tmp/bbws-bench.lock node apps/bench/offload/offload-pool-bench.mjs [rounds] [seconds]
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 8);
const SPIN_MS = 2;

if (process.env.BENCH_SERVE !== undefined) await serve(process.env.BENCH_SERVE);
else await main();

async function serve(kind) {
  const { HttpServer, WorkerPool } = await import('@bbws/transport');
  let runJob;
  if (kind === 'ours') {
    const pool = new WorkerPool({
      script: new URL('./ours-worker.mjs', import.meta.url),
      size: 1,
      maxJobsPerWorker: 1,
      jobTimeoutMs: 30_000,
      timeoutsBeforeReplace: 1,
    });
    await pool.ready();
    runJob = (payload) => pool.run(payload);
  } else {
    const { Piscina } = await import('piscina');
    const pool = new Piscina({
      filename: new URL('./spin-task.mjs', import.meta.url).href,
      minThreads: 1,
      maxThreads: 1,
      concurrentTasksPerWorker: 1,
    });
    runJob = (payload) => pool.run(payload, { signal: AbortSignal.timeout(30_000) });
  }
  const server = new HttpServer({
    listeners: [{ ip: '127.0.0.1', port: 0 }],
    limits: { keepAliveMaxRequests: 0 },
    handler: (_request, sink) => {
      runJob({ ms: SPIN_MS }).then(
        (text) => sink.send(200, 'Content-Type: text/plain\r\n', text),
        () => sink.send(503, '', null),
      );
    },
  });
  const [address] = await server.listen();
  console.log(`PORT ${address.port}`);
}

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15), all threads
}

async function measure(kind) {
  const child = spawn('taskset', ['-c', '0', process.execPath, fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_SERVE: kind },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve) => {
    child.stdout.on('data', (chunk) => {
      const match = /PORT (\d+)/.exec(String(chunk));
      if (match) resolve(Number(match[1]));
    });
  });
  const url = `http://127.0.0.1:${port}/spin`;
  const check = await fetch(url);
  if (check.status !== 200) throw new Error(`${kind}: ${check.status}`);
  await run('taskset', ['-c', '1', 'wrk', '-t1', '-c16', '-d2s', url]);
  const before = cpuTicks(child.pid);
  const { stdout } = await run('taskset', ['-c', '1', 'wrk', '-t1', '-c16', `-d${seconds}s`, url]);
  const ticks = cpuTicks(child.pid) - before;
  child.kill();
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)[1]);
  const requests = Number(/(\d+) requests in/.exec(stdout)[1]);
  const latency = /Latency\s+(\S+)/.exec(stdout)[1];
  return { kind, rps, cpuUsPerRequest: Math.round(((ticks / 100) * 1e6) / requests), latency };
}

async function main() {
  const results = { ours: [], piscina: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['ours', 'piscina'] : ['piscina', 'ours'];
    for (const kind of order) {
      const result = await measure(kind);
      results[kind].push(result);
      console.log(JSON.stringify(result));
    }
  }
  const median = (list, key) => list.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(list.length / 2)];
  for (const kind of ['ours', 'piscina']) {
    console.log(
      `${kind}: median ${median(results[kind], 'rps')} req/s, ${median(results[kind], 'cpuUsPerRequest')} µs CPU per request`,
    );
  }
  console.log(`load average: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
}
