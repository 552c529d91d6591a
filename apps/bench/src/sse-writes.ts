/**
 * Write system calls per SSE event delivered (`pnpm bench sse-writes`): the kernel's count of
 * a server's write calls (`syscw` in /proc/PID/io, every thread of the process) over a fixed
 * number of events fanned out by the suite's SSE client, and server CPU per event.
 *
 *   node apps/bench/dist/run.js sse-writes                          # ours and node:http, 2 rounds
 *   node apps/bench/dist/run.js sse-writes --servers ours,fastify --clients 1000 --batch 4
 *   node apps/bench/dist/run.js sse-writes --duration 4             # the suite's load, 4 s measured
 *
 * The default load is the client's lockstep (clients/sse-client.ts): `--batches` times,
 * `--batch` pipelined `GET /broadcast` requests in one write, the next batch only once every
 * client got every event and every broadcast was answered. Each batch reaches the server in
 * one read, so a server that sends one tick's events to a socket in one write makes about
 * 1 / BATCH writes per event, one that writes every event on its own makes 1, whatever the
 * machine's load. The counters are read while the server is idle, before and after the measured
 * batches, so the count is exact. `--duration S` measures under the suite's SSE load instead
 * (up to 4 broadcasts in flight, for S seconds after `--warmup` seconds): closer to the
 * scenario, but how many broadcasts share a read then depends on timing.
 *
 * Per round, each server runs in a fresh process pinned to core 0 and the client on core 1, the
 * order reversed every other round. Prints one line per measurement to stderr, then one JSON line
 * to stdout (`{"command":...,"rows":[...]}`). Holds /tmp/bbws-bench.lock while measuring, unless
 * `--no-lock`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Args, type CommandSpec } from './analysis/args.js';
import { assertPortFree, holdLock } from './compare.js';
import {
  prepareDir,
  type Running,
  SCENARIOS,
  type Settings,
  serverById,
  startServer,
} from './suite/scenarios.js';
import { cpuSeconds, expectLine, LOCK, lines, spawnPinned, stop } from './suite/tools.js';

const CLIENT = fileURLToPath(new URL('./clients/sse-client.js', import.meta.url));
const DEFAULT_PORT = 5904;
const SSE_SERVERS = SCENARIOS.find((s) => s.id === 'sse')?.servers ?? [];

const SSE_WRITES_OPTIONS: CommandSpec = {
  usage: 'run.js sse-writes [options]',
  about: [
    "Write system calls (the kernel's syscw in /proc/PID/io) and server CPU per SSE event delivered,",
    "under the suite's SSE client: by default a fixed count of events in lockstep batches of pipelined",
    "broadcasts (exact, independent of load); with --duration, the suite's timed load.",
  ].join('\n'),
  options: {
    servers: { value: 'IDS', help: `servers, comma-separated (ours,node-http): ${SSE_SERVERS.join(', ')}` },
    clients: { value: 'N', help: 'SSE clients (200)' },
    batch: { value: 'N', help: 'broadcasts pipelined in one write, per batch (4)' },
    batches: { value: 'N', help: 'measured batches (100)' },
    'warmup-batches': { value: 'N', help: 'batches before the measured ones (20)' },
    duration: { value: 'S', help: "measure under the suite's timed load for S seconds instead of lockstep" },
    warmup: { value: 'S', help: 'with --duration: seconds of load before the measured part (2)' },
    rounds: { value: 'N', help: 'rounds, the order of the servers reversed every other one (2)' },
    port: { value: 'PORT', help: `where the servers listen (${DEFAULT_PORT})` },
    'no-lock': { help: `do not take ${LOCK} (syscall counts in lockstep do not depend on load)` },
  },
};

export interface SseWritesRow {
  readonly round: number;
  readonly server: string;
  /** Events delivered in the measured part (each `data:` line a client read). */
  readonly events: number;
  /** Write system calls of the server process in the measured part. */
  readonly writes: number;
  readonly writesPerEvent: number;
  readonly cpuUsPerEvent: number;
}

/** The write system calls a process made so far, all its threads (`syscw` of /proc/PID/io). */
export function writeCalls(pid: number): number {
  const match = /^syscw:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  if (match === null) throw new Error(`no syscw in /proc/${pid}/io`);
  return Number(match[1]);
}

interface Load {
  readonly clients: number;
  /** The client's arguments after PORT and CLIENTS. */
  readonly clientArgs: readonly string[];
  readonly isLockstep: boolean;
  /** Lockstep: the events the measured part delivers. */
  readonly events?: number;
}

async function measureOne(running: Running, port: number, load: Load, round: number): Promise<SseWritesRow> {
  const { server, pid } = running;
  const client = spawnPinned(1, [CLIENT, String(port), String(load.clients), ...load.clientArgs], {}, 'pipe');
  try {
    const out = lines(client);
    await expectLine(out, 'READY', `${server.id}'s SSE client`);
    await expectLine(out, 'MEASURE', `${server.id}'s SSE client`);
    const writes0 = writeCalls(pid);
    const cpu0 = cpuSeconds(pid);
    // Lockstep: the measured batches start now, with the server idle and its counters read.
    if (load.isLockstep) client.stdin?.write('go\n');
    const done = JSON.parse(await expectLine(out, 'DONE', `${server.id}'s SSE client`)) as Record<
      string,
      number
    >;
    const writes = writeCalls(pid) - writes0;
    const cpu = cpuSeconds(pid) - cpu0;
    const events = done.delivered as number;
    if (done.open !== load.clients)
      throw new Error(`${server.id}: ${done.open} of ${load.clients} SSE clients still open`);
    if (load.events !== undefined && events !== load.events)
      throw new Error(`${server.id}: ${events} events delivered, not ${load.events}`);
    if (events === 0) throw new Error(`${server.id}: no event delivered`);
    return {
      round,
      server: server.id,
      events,
      writes,
      writesPerEvent: writes / events,
      cpuUsPerEvent: (cpu * 1e6) / events,
    };
  } finally {
    client.stdin?.end();
    await stop(client);
  }
}

/** `run.js sse-writes ...`: see the comment at the top. */
export async function sseWritesMain(argv: readonly string[]): Promise<void> {
  const args = new Args(argv, SSE_WRITES_OPTIONS);
  const servers = args.list('servers', ['ours', 'node-http'], SSE_SERVERS, 'server of the sse scenario');
  const clients = args.integer('clients', 200, 1);
  const rounds = args.integer('rounds', 2, 1);
  const port = args.integer('port', DEFAULT_PORT, 1);
  const duration = args.optional('duration') === undefined ? undefined : args.number('duration', 0);
  let load: Load;
  if (duration === undefined) {
    const batch = args.integer('batch', 4, 1);
    const batches = args.integer('batches', 100, 1);
    const warmupBatches = args.integer('warmup-batches', 20);
    load = {
      clients,
      clientArgs: ['--lockstep', String(batch), String(batches), String(warmupBatches)],
      isLockstep: true,
      events: clients * batch * batches,
    };
  } else {
    const warmup = args.number('warmup', 2);
    load = {
      clients,
      clientArgs: [String(Math.round(duration * 1000)), String(Math.round(warmup * 1000))],
      isLockstep: false,
    };
  }

  const dir = mkdtempSync(join(tmpdir(), 'bbws-sse-writes-'));
  const settings = { port, dir } as Settings;
  let release: (() => Promise<void>) | null = null;
  const rows: SseWritesRow[] = [];
  try {
    prepareDir(settings, Buffer.alloc(0));
    if (!args.has('no-lock') && process.env.BENCH_LOCK_HELD !== '1') release = await holdLock();
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? servers : [...servers].reverse();
      for (const id of order) {
        // Another process answering on the port would be measured instead of this server.
        await assertPortFree(port);
        const running = await startServer(serverById(id), settings);
        try {
          const row = await measureOne(running, port, load, round);
          rows.push(row);
          process.stderr.write(
            `round ${round} ${id.padEnd(12)} ${row.events} events, ${row.writes} write calls: ${row.writesPerEvent.toFixed(3)} writes/event, ${row.cpuUsPerEvent.toFixed(2)} µs CPU/event\n`,
          );
        } finally {
          await stop(running.child);
        }
      }
    }
  } finally {
    await release?.();
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    `${JSON.stringify({ command: `run.js sse-writes ${argv.join(' ')}`.trim(), rows })}\n`,
  );
}
