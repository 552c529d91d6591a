/** Processes, /proc figures and wrk for the suite. Linux only (taskset, /proc). */
import { type ChildProcess, execFile, type SpawnOptions, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The lock every measuring command holds, so that two measurements never share the cores. */
export const LOCK = '/tmp/bbws-bench.lock';

/** Clock ticks per second of /proc/PID/stat's utime and stime (`getconf CLK_TCK`, 100 on Linux). */
export const CLOCK_TICKS = 100;

/** utime + stime of a process, all its threads, in seconds (/proc/PID/stat fields 14 and 15). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** A field of /proc/PID/status in MiB (VmRSS, VmHWM). */
export function memoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (match === null) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/** Resets VmHWM to the current RSS (`echo 5 > /proc/PID/clear_refs`); false where not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Variables of this machine's environment that change what every Node process does at start,
 * removed from the environment of the processes the suite measures. NODE_EXTRA_CA_CERTS names a
 * CA bundle that Node reads and parses at every start, before any of a server's code runs: with
 * the 220 KB bundle of Debian's ca-certificates that is about 400 M instructions, 40 ms of
 * `node -e 0` here (docs/benchmarks.md, "The machine's environment"). A server that needs it
 * (a client of TLS servers with a private CA) is not among the suite's.
 */
export const MACHINE_START_VARIABLES: readonly string[] = ['NODE_EXTRA_CA_CERTS'];

/** The environment of a measured Node process: this one's, without MACHINE_START_VARIABLES, with EXTRA. */
export function measuredEnv(
  extra: Readonly<Record<string, string>> = {},
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, ...extra };
  for (const name of MACHINE_START_VARIABLES) delete env[name];
  return env;
}

/**
 * Spawns `node ARGS` pinned to CORE, by default with the open-file limit raised to the hard
 * limit (the idle and SSE scenarios hold thousands of sockets): bash and taskset exec, so the
 * child's pid is node's. The shell costs about 7.5 ms from spawn to exec here (100 runs of
 * `/bin/true` through it: 1.33-1.42 s; through taskset alone: 0.60 s; docs/benchmarks.md), so
 * a cold start, which holds one connection, is spawned through taskset alone
 * (`raiseFileLimit: false`).
 */
export function spawnPinned(
  core: number,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  stdio: 'ignore' | 'pipe' = 'ignore',
  options: { readonly raiseFileLimit?: boolean } = {},
): ChildProcess {
  const spawnOptions: SpawnOptions = { env: measuredEnv(env), stdio: [stdio, stdio, 'inherit'] };
  if (options.raiseFileLimit === false)
    return spawn('taskset', ['-c', String(core), process.execPath, ...args], spawnOptions);
  return spawn(
    'bash',
    [
      '-c',
      'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec taskset -c "$0" "$@"',
      String(core),
      process.execPath,
      ...args,
    ],
    spawnOptions,
  );
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/**
 * Sends `GET /hello` until a 200 arrives (a refused connection is retried at once, every
 * millisecond); resolves with the time from `since` (performance.now()) in ms.
 */
export async function firstOk(
  port: number,
  since: number,
  child: ChildProcess,
  limitMs = 30_000,
): Promise<number> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before answering`);
    if (performance.now() - since > limitMs) throw new Error(`no 200 from port ${port} within ${limitMs} ms`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let text = '';
      socket.once('error', () => resolve(false));
      socket.once('connect', () =>
        socket.write('GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
      );
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
        if (text.length >= 12) {
          socket.destroy();
          resolve(text.startsWith('HTTP/1.1 200'));
        }
      });
      socket.once('close', () => resolve(text.startsWith('HTTP/1.1 200')));
    });
    if (ok) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

export interface WrkResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly socketErrors: number;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** Parses wrk's report (with --latency). */
export function parseWrk(out: string): WrkResult {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m),/.exec(out);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(out);
  if (total === null || rps === null || p99 === null) throw new Error(`wrk printed no totals:\n${out}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: Number(total[1]),
    seconds: (Number(total[2]) * (UNIT_MS[total[3] as string] as number)) / 1000,
    rps: Number(rps[1]),
    p99Ms: Number(p99[1]) * (UNIT_MS[p99[2] as string] as number),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: socket === null ? 0 : socket.slice(1).reduce((sum, n) => sum + Number(n), 0),
  };
}

export interface WrkOptions {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly script?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** wrk -t1 pinned to core 1. */
export async function wrk(options: WrkOptions): Promise<WrkResult> {
  const args = ['-c', '1', 'wrk', '-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency'];
  if (options.script !== undefined) args.push('-s', options.script);
  args.push(options.url);
  const { stdout } = await run('taskset', args, {
    env: { ...process.env, ...options.env },
    maxBuffer: 1 << 20,
  });
  return parseWrk(stdout);
}

/** Lines a child writes to stdout, one at a time. */
export function lines(child: ChildProcess): AsyncIterator<string> {
  const queue: string[] = [];
  const waiting: Array<(line: IteratorResult<string>) => void> = [];
  let buffer = '';
  let ended = false;
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffer += chunk;
    for (let at = buffer.indexOf('\n'); at !== -1; at = buffer.indexOf('\n')) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      const next = waiting.shift();
      if (next === undefined) queue.push(line);
      else next({ value: line, done: false });
    }
  });
  child.once('exit', () => {
    ended = true;
    for (const next of waiting.splice(0)) next({ value: undefined, done: true });
  });
  return {
    next: () =>
      new Promise((resolve) => {
        const line = queue.shift();
        if (line !== undefined) resolve({ value: line, done: false });
        else if (ended) resolve({ value: undefined, done: true });
        else waiting.push(resolve);
      }),
  };
}

/** The next line starting with PREFIX, its rest; throws when the child ends first. */
export async function expectLine(
  source: AsyncIterator<string>,
  prefix: string,
  what: string,
): Promise<string> {
  for (;;) {
    const line = await source.next();
    if (line.done) throw new Error(`${what} ended before printing ${prefix}`);
    if (line.value.startsWith(prefix)) return line.value.slice(prefix.length).trim();
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
