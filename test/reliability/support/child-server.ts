import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Which server a drill runs against: ours (bbws-server.mjs) or the node:http comparison. */
export type ServerKind = 'bbws' | 'node';

/** What a child runs: a server kind, or `cluster` (cluster-server.mjs: `processes` > 1). */
export type EntryKind = ServerKind | 'cluster';

const ENTRIES: Readonly<Record<EntryKind, string>> = {
  bbws: fileURLToPath(new URL('./bbws-server.mjs', import.meta.url)),
  cluster: fileURLToPath(new URL('./cluster-server.mjs', import.meta.url)),
  node: fileURLToPath(new URL('./node-http-server.mjs', import.meta.url)),
};

/** How a child ended: exit code or signal, and when (performance.now()). */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly atMs: number;
}

/** Keeps the end of the child's stderr: an out-of-memory crash is reported there. */
const STDERR_TAIL_CHARS = 4000;

/**
 * A drill target in its own process: started with a JSON spec, it prints its port; its RSS is
 * read from /proc; `kill()` ends it by pid. Call `kill()` in a `finally`.
 */
export class ChildServer {
  readonly kind: EntryKind;
  readonly pid: number;
  readonly port: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ChildExit>;
  readonly #child: ChildProcess;
  readonly #lines: string[];
  #exit: ChildExit | null = null;
  #stderr = '';

  private constructor(kind: EntryKind, child: ChildProcess, port: number, lines: string[]) {
    this.kind = kind;
    this.#child = child;
    this.pid = child.pid ?? -1;
    this.port = port;
    this.#lines = lines;
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    this.exited = new Promise((resolve) => {
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        this.#exit = { code, signal, atMs: performance.now() };
        resolve(this.#exit);
      };
      if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode, child.signalCode);
      else child.once('exit', onExit);
    });
  }

  /**
   * Starts `node <entry> '<spec>'` and waits for its `{"port":N}` line.
   * @throws Error when the child exits or stays silent for `startTimeoutMs`
   */
  static async start(kind: EntryKind, spec: object, startTimeoutMs = 15_000): Promise<ChildServer> {
    const child = spawn(process.execPath, [ENTRIES[kind], JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    const collectStderr = (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    };
    child.stderr?.on('data', collectStderr);
    let timer: NodeJS.Timeout | undefined;
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let partial = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          partial += chunk.toString('utf8');
          for (let end = partial.indexOf('\n'); end !== -1; end = partial.indexOf('\n')) {
            const line = partial.slice(0, end);
            partial = partial.slice(end + 1);
            const port = portOf(line);
            if (port === null) lines.push(line);
            else resolve(port);
          }
        });
        child.once('exit', (code) =>
          reject(new Error(`${kind} server exited (${code}) before listening: ${stderr}`)),
        );
        timer = setTimeout(
          () => reject(new Error(`${kind} server did not listen: ${stderr}`)),
          startTimeoutMs,
        );
      });
      child.stderr?.off('data', collectStderr);
      return new ChildServer(kind, child, port, lines);
    } catch (error) {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether the process is still running. */
  get isAlive(): boolean {
    return this.#exit === null;
  }

  /** How it ended, or null while it runs. */
  get exit(): ChildExit | null {
    return this.#exit;
  }

  /** JSON lines it printed after the port line (e.g. `{"handled":N}` at exit). */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /** The last few thousand characters of its stderr. */
  get stderrTail(): string {
    return this.#stderr;
  }

  /** Resident set size in KiB (VmRSS of /proc/<pid>/status); NaN once it has exited. */
  rssKiB(): number {
    return this.memoryKiB().rss;
  }

  /** VmRSS and VmSize (virtual) in KiB, from /proc/<pid>/status; NaN once it has exited. */
  memoryKiB(): { readonly rss: number; readonly virtual: number } {
    if (!this.isAlive) return { rss: Number.NaN, virtual: Number.NaN };
    let status: string;
    try {
      status = fs.readFileSync(`/proc/${this.pid}/status`, 'latin1');
    } catch {
      // The process exited between the liveness check and the read.
      return { rss: Number.NaN, virtual: Number.NaN };
    }
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    const virtual = /^VmSize:\s+(\d+) kB$/m.exec(status);
    return {
      rss: rss === null ? Number.NaN : Number(rss[1]),
      virtual: virtual === null ? Number.NaN : Number(virtual[1]),
    };
  }

  /** Sends a signal by pid (no-op once exited). */
  signal(signal: NodeJS.Signals): void {
    if (this.isAlive) process.kill(this.pid, signal);
  }

  /** Ends the process by pid with SIGKILL, unless it has exited, and waits for the exit. */
  async kill(): Promise<void> {
    if (this.isAlive) {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch (error) {
        // ESRCH: it exited on its own after the check; anything else is a real failure.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
    await this.exited;
    this.#child.stdout?.destroy();
    this.#child.stderr?.destroy();
  }
}

/** The port of a `{"port":N}` line, or null for any other line. */
function portOf(line: string): number | null {
  const match = /^\{"port":(\d+)\}$/.exec(line.trim());
  return match === null ? null : Number(match[1]);
}

/** The highest RSS (and virtual size) seen between {@link RssSampler.start} and {@link RssSampler.stop}. */
export class RssSampler {
  readonly #server: ChildServer;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | null = null;
  #baseline = { rss: Number.NaN, virtual: Number.NaN };
  #peakRss = 0;
  #peakVirtual = 0;

  constructor(server: ChildServer, intervalMs = 50) {
    this.#server = server;
    this.#intervalMs = intervalMs;
  }

  /** Records the baseline now and samples every interval. */
  start(): this {
    this.#baseline = this.#server.memoryKiB();
    this.#peakRss = this.#baseline.rss;
    this.#peakVirtual = this.#baseline.virtual;
    this.#timer = setInterval(() => this.#sample(), this.#intervalMs);
    return this;
  }

  /** Stops sampling (after one last sample); returns baseline, peak and growth in MiB. */
  stop(): RssFigures {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#sample();
    return {
      baselineMiB: this.#baseline.rss / 1024,
      peakMiB: this.#peakRss / 1024,
      growthMiB: (this.#peakRss - this.#baseline.rss) / 1024,
      virtualGrowthMiB: (this.#peakVirtual - this.#baseline.virtual) / 1024,
    };
  }

  #sample(): void {
    const { rss, virtual } = this.#server.memoryKiB();
    if (rss > this.#peakRss) this.#peakRss = rss;
    if (virtual > this.#peakVirtual) this.#peakVirtual = virtual;
  }
}

/** Memory of a drill target, in MiB: resident (baseline, peak, growth) and virtual growth. */
export interface RssFigures {
  readonly baselineMiB: number;
  readonly peakMiB: number;
  readonly growthMiB: number;
  /** Peak VmSize minus baseline: address space reserved, resident or not. */
  readonly virtualGrowthMiB: number;
}
