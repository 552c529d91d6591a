/** Command-line options of the suite's subcommands: `--name value` pairs, `--flag`s, and positionals. */
import { builtDirectory, entryIn } from '../compare/builds.js';
import { serverById } from '../suite/scenarios.js';

const BENCH_ROOT = new URL('../..', import.meta.url);
export const REPO_ROOT = new URL('../..', BENCH_ROOT).pathname;

export class Args {
  readonly positional: string[] = [];
  readonly #values = new Map<string, string>();
  readonly #flags = new Set<string>();

  /** `flags`: the options that take no value. */
  constructor(argv: readonly string[], flags: readonly string[] = []) {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i] as string;
      if (!arg.startsWith('--')) this.positional.push(arg);
      else if (flags.includes(arg.slice(2))) this.#flags.add(arg.slice(2));
      else {
        const value = argv[i + 1];
        if (value === undefined) throw new Error(`${arg} needs a value`);
        this.#values.set(arg.slice(2), value);
        i++;
      }
    }
  }

  string(name: string, fallback: string): string {
    return this.#values.get(name) ?? fallback;
  }

  optional(name: string): string | undefined {
    return this.#values.get(name);
  }

  number(name: string, fallback: number): number {
    const value = this.#values.get(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a number, not ${value}`);
    return n;
  }

  has(name: string): boolean {
    return this.#flags.has(name);
  }
}

/**
 * The entry module of a server in a built checkout: `--build DIR` (default this tree) and
 * `--server ID` (a server of the suite, or `transport`: the transport alone, no app).
 */
export function serverEntry(
  args: Args,
  fallbackServer = 'ours',
): { root: string; entry: string; id: string } {
  const build = builtDirectory('build', args.string('build', REPO_ROOT));
  const id = args.string('server', fallbackServer);
  const entry = id === 'transport' ? 'transport-only.js' : serverById(id).entry;
  return { root: build.root, entry: entryIn(build, entry), id };
}
