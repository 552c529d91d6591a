/**
 * Ranged file serving: a 1 MiB file answered 206 in 64 KiB ranges, bbwebservice's
 * PartialContent against Fastify 5 with @fastify/static on the same file. Each peer runs in
 * its own process pinned to core 0; wrk runs pinned to core 1 with a Lua script that walks
 * the 16 ranges of the file. Peers alternate over several rounds; the ratio of the medians
 * is what to read (the machine is shared, absolute numbers are not comparable across runs).
 *
 * Usage: `pnpm bench:static [--rounds 3] [--duration 10] [--connections 32]`
 * Run it under `flock /tmp/bbws-bench.lock` so benchmarks do not overlap.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fastifyStatic from '@fastify/static';
import { Controller, createApp, Get, MIME_TYPE, PartialContent } from 'bbwebservice';
import Fastify from 'fastify';

const FILE_BYTES = 1024 * 1024;
const RANGE_BYTES = 64 * 1024;
const FILE_NAME = 'file.bin';
const PEERS = ['bbwebservice', 'fastify-static'] as const;
type Peer = (typeof PEERS)[number];

const LUA = `
local i = 0
request = function()
  local first = (i % ${FILE_BYTES / RANGE_BYTES}) * ${RANGE_BYTES}
  i = i + 1
  return wrk.format("GET", "/${FILE_NAME}", { ["Range"] = "bytes=" .. first .. "-" .. (first + ${RANGE_BYTES - 1}) })
end
`;

const run = promisify(execFile);

/** `serve <peer> <port> <dir>`: one server process, prints `ready` once it listens. */
async function serve(peer: Peer, port: number, dir: string): Promise<void> {
  if (peer === 'bbwebservice') {
    @Controller('::/')
    class StaticController {
      @Get(`/${FILE_NAME}`, { type: MIME_TYPE.DYNAMIC })
      file() {
        return new PartialContent(FILE_NAME, { root: dir });
      }
    }
    const app = createApp({
      controllers: [StaticController],
      // Fastify keeps a connection open for any number of requests; so do we here.
      config: { server: [{ ip: '127.0.0.1', port }], keep_alive_max_requests: 1_000_000_000 },
    });
    await app.start();
  } else {
    const app = Fastify({ logger: false });
    await app.register(fastifyStatic, { root: dir, prefix: '/' });
    await app.listen({ host: '127.0.0.1', port });
  }
  process.stdout.write('ready\n');
}

function startServer(peer: Peer, port: number, dir: string): Promise<ChildProcess> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn('taskset', ['-c', '0', process.execPath, script, 'serve', peer, String(port), dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${peer} exited early with code ${code}`)));
    child.stdout?.on('data', (data: Buffer) => {
      if (data.toString().includes('ready')) resolve(child);
    });
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** One ranged GET checked byte for byte before the load, so a fast wrong answer cannot win. */
async function verify(peer: Peer, port: number, content: Buffer): Promise<void> {
  const first = 5 * RANGE_BYTES;
  const res = await fetch(`http://127.0.0.1:${port}/${FILE_NAME}`, {
    headers: { range: `bytes=${first}-${first + RANGE_BYTES - 1}` },
  });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 206 || !body.equals(content.subarray(first, first + RANGE_BYTES))) {
    throw new Error(`${peer} answered ${res.status} with ${body.length} wrong bytes`);
  }
}

interface Sample {
  readonly peer: Peer;
  readonly requestsPerSec: number;
  readonly transferPerSec: string;
  readonly errors: string;
}

async function load(
  peer: Peer,
  port: number,
  luaPath: string,
  seconds: number,
  connections: number,
): Promise<Sample> {
  const { stdout } = await run('taskset', [
    '-c',
    '1',
    'wrk',
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '-s',
    luaPath,
    `http://127.0.0.1:${port}/${FILE_NAME}`,
  ]);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1];
  if (rps === undefined) throw new Error(`no Requests/sec in wrk output:\n${stdout}`);
  return {
    peer,
    requestsPerSec: Number(rps),
    transferPerSec: /Transfer\/sec:\s+(\S+)/.exec(stdout)?.[1] ?? '?',
    errors: [/Non-2xx or 3xx responses: (\d+)/, /Socket errors: (.*)/]
      .map((re) => re.exec(stdout)?.[0])
      .filter((s) => s !== undefined)
      .join('; '),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

async function main(): Promise<void> {
  const rounds = option('rounds', 3);
  const seconds = option('duration', 10);
  const connections = option('connections', 32);
  const port = option('port', 18_080);
  const dir = mkdtempSync(join(tmpdir(), 'bbws-static-bench-'));
  const content = randomBytes(FILE_BYTES);
  writeFileSync(join(dir, FILE_NAME), content);
  const luaPath = join(dir, 'ranges.lua');
  writeFileSync(luaPath, LUA);
  const samples: Sample[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      // Alternate the order each round so neither peer always runs on a warmer machine.
      const order = round % 2 === 0 ? PEERS : [...PEERS].reverse();
      for (const peer of order) {
        const child = await startServer(peer, port, dir);
        try {
          await verify(peer, port, content);
          await load(peer, port, luaPath, 2, connections); // warm-up, not recorded
          const sample = await load(peer, port, luaPath, seconds, connections);
          samples.push(sample);
          console.log(
            `round ${round + 1} ${peer.padEnd(14)} ${sample.requestsPerSec.toFixed(0).padStart(8)} req/s  ${sample.transferPerSec}/s ${sample.errors}`,
          );
        } finally {
          await stopServer(child);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ours = median(samples.filter((s) => s.peer === 'bbwebservice').map((s) => s.requestsPerSec));
  const theirs = median(samples.filter((s) => s.peer === 'fastify-static').map((s) => s.requestsPerSec));
  console.log(`\nmedian bbwebservice ${ours.toFixed(0)} req/s, fastify-static ${theirs.toFixed(0)} req/s`);
  console.log(`ratio bbwebservice / fastify-static = ${(ours / theirs).toFixed(2)}`);
}

if (process.argv[2] === 'serve') {
  await serve(process.argv[3] as Peer, Number(process.argv[4]), process.argv[5] as string);
} else {
  await main();
}
