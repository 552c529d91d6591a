/**
 * Instructions a server executes, counted by valgrind's callgrind: figures that do not depend
 * on what else the machine runs, so two builds compare on a shared machine where wall-clock and
 * CPU-time figures move by ±10%.
 *
 * The server runs under `valgrind --tool=callgrind`. With `startup`, counting is on from the
 * first instruction and the counts are dumped when the first `GET /hello` is answered 200: the
 * instructions from exec to that answer (the polling requests included, as in a cold start).
 * Then, per kind of request: counting off, `warmup` requests (V8 compiles the hot path; under
 * valgrind its background compiler gets little time, and with a 4,000-request warm-up one
 * build counted 10 to 20% more per request than with 30,000), counting on, `requests`
 * requests, dump. A figure is the dump's total over the requests: the whole process, every
 * thread. `compilerPerRequest` is the share in `v8::internal::compiler::` (callgrind_annotate):
 * over 1% of the total means the warm-up was too short and the figure holds tier-up work; the
 * count is then taken again after another warm-up, `retries` times at most, and a warning says
 * when the last one still holds tier-up work.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RequestKind, sendRequests } from '../clients/fixed-requests.js';
import { firstOk, measuredEnv, sleep, stop } from '../suite/tools.js';

export interface CountOptions {
  /** The server's command: program and arguments (`node entry.js`). */
  readonly command: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly port: number;
  /** Count the start: exec to the first 200. */
  readonly startup: boolean;
  /** Per-request counts, one per kind of request (none: start-up only). */
  readonly kinds: readonly RequestKind[];
  readonly warmup: number;
  readonly requests: number;
  readonly connections: number;
  /**
   * Counts taken again, each after another `warmup` requests, while V8's optimising compiler
   * holds more than 1% of the count: the full app can take more than one warm-up to settle.
   */
  readonly retries: number;
}

export interface PerRequestCount {
  readonly perRequest: number;
  /** Instructions per request in V8's optimising compiler; null without callgrind_annotate. */
  readonly compilerPerRequest: number | null;
  /** Warm-ups of `warmup` requests before the count that was kept. */
  readonly warmups: number;
}

export interface InstructionCounts {
  /** Instructions from exec to the first 200 (with `startup`). */
  readonly startup?: number;
  readonly perRequest: Partial<Record<RequestKind, PerRequestCount>>;
}

const START_LIMIT_MS = 300_000;
/** Over this share of a count in V8's optimising compiler, the code was still tiering up. */
const COMPILER_SHARE = 0.01;

/** Whether valgrind and callgrind_control are installed. */
export function hasCallgrind(): boolean {
  for (const tool of ['valgrind', 'callgrind_control']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
    } catch {
      return false;
    }
  }
  return true;
}

function control(child: ChildProcess, ...args: string[]): void {
  execFileSync('callgrind_control', [...args, String(child.pid)], { stdio: 'ignore' });
}

/** Asks for dump number `index` and waits until callgrind has written it; returns its file. */
async function dump(
  child: ChildProcess,
  prefix: string,
  index: number,
  stderr: () => string,
): Promise<string> {
  control(child, '-d');
  const file = `${prefix}.${child.pid}.${index}`;
  for (let attempt = 0; attempt < 1500; attempt++) {
    if (existsSync(file) && /^totals:\s+\d+/m.test(readFileSync(file, 'latin1'))) return file;
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server ended before callgrind wrote ${file}\n${stderr()}`);
    await sleep(200);
  }
  throw new Error(`callgrind wrote no ${file} within 300 s\n${stderr()}`);
}

function totalOf(file: string): number {
  const match = /^totals:\s+(\d+)/m.exec(readFileSync(file, 'latin1'));
  if (match === null) throw new Error(`${file} has no totals line`);
  return Number(match[1]);
}

/** Instructions in V8's optimising compiler (TurboFan) in a dump, or null without callgrind_annotate. */
function compilerInstructions(file: string): number | null {
  let out: string;
  try {
    out = execFileSync('callgrind_annotate', ['--threshold=100', file], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return null;
  }
  let sum = 0;
  for (const line of out.split('\n')) {
    const match = /^\s*([\d,]+)\s+\([^)]*\)\s+(.*)$/.exec(line);
    if (match?.[2]?.includes('v8::internal::compiler::')) sum += Number(match[1]?.replaceAll(',', ''));
  }
  return sum;
}

/** Runs the server under callgrind once and counts what `options` asks for. */
export async function countInstructions(options: CountOptions): Promise<InstructionCounts> {
  const dir = mkdtempSync(join(tmpdir(), 'bbws-callgrind-'));
  const prefix = join(dir, 'callgrind.out');
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      `--instr-atstart=${options.startup ? 'yes' : 'no'}`,
      '--smc-check=all-non-file',
      `--callgrind-out-file=${prefix}.%p`,
      ...options.command,
    ],
    {
      cwd: options.cwd,
      env: measuredEnv(options.env),
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4000);
  });
  const stderr = () => tail;
  let dumps = 0;
  try {
    await firstOk(options.port, performance.now(), child, START_LIMIT_MS);
    let startup: number | undefined;
    if (options.startup) {
      startup = totalOf(await dump(child, prefix, ++dumps, stderr));
      control(child, '-i', 'off');
    }
    const perRequest: Partial<Record<RequestKind, PerRequestCount>> = {};
    let n = 1;
    for (const kind of options.kinds) {
      for (let warmups = 1; ; warmups++) {
        n += await sendRequests(options.port, kind, options.warmup, options.connections, n);
        control(child, '-i', 'on');
        const answered = await sendRequests(options.port, kind, options.requests, options.connections, n);
        n += answered;
        const file = await dump(child, prefix, ++dumps, stderr);
        control(child, '-i', 'off');
        if (answered !== options.requests)
          throw new Error(`${answered} of ${options.requests} ${kind} requests answered`);
        const total = totalOf(file);
        const compiler = compilerInstructions(file);
        const share = compiler === null ? 0 : compiler / total;
        if (share > COMPILER_SHARE && warmups <= options.retries) {
          process.stderr.write(
            `${kind}: ${(share * 100).toFixed(1)}% of the count is V8's optimising compiler; warming up again\n`,
          );
          continue;
        }
        perRequest[kind] = {
          perRequest: Math.round(total / answered),
          compilerPerRequest: compiler === null ? null : Math.round(compiler / answered),
          warmups,
        };
        if (share > COMPILER_SHARE) {
          process.stderr.write(
            `warning: ${(share * 100).toFixed(1)}% of the ${kind} count is V8's optimising compiler: the warm-up was too short, the figure holds tier-up work (raise the warm-up)\n`,
          );
        }
        break;
      }
    }
    return startup === undefined ? { perRequest } : { startup, perRequest };
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}
