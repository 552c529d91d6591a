/**
 * Command-line options of the suite and its subcommands: `--name value` pairs, `--flag`s and
 * positionals, checked against the command's spec before anything runs. An option the spec
 * does not name, a value option without its value, a value option given twice (which one
 * counts?) and a positional too many or too few are a `UsageError`; `--help` or `-h` anywhere
 * (before a `--`) is a `HelpRequested` that carries the usage text made from the spec.
 */
import { builtDirectory, entryIn } from '../compare/builds.js';
import { serverById } from '../suite/scenarios.js';

const BENCH_ROOT = new URL('../..', import.meta.url);
export const REPO_ROOT = new URL('../..', BENCH_ROOT).pathname;

/** An option of a command: a flag, or (with `value`) an option that takes one. */
export interface OptionSpec {
  /** What the value is, as the usage shows it (`N`, `DIR`, `IDS`); absent for a flag. */
  readonly value?: string;
  readonly help: string;
}

export interface CommandSpec {
  /** How the command is called, as the usage's first line shows it: `run.js heap-summary FILE`. */
  readonly usage: string;
  /** What the command does, a few lines. */
  readonly about: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** The positionals' names, in order; the first `required` of them must be given (default 0). */
  readonly positionals?: { readonly names: readonly string[]; readonly required: number };
  /** What comes after `--` (`SERVER COMMAND...`): everything after it is the command's, unread. */
  readonly rest?: string;
}

/** A command line the command cannot read: run.js prints the message and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `--help` or `-h`: run.js prints `text` to stdout and exits 0. */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
  constructor(readonly text: string) {
    super('help requested');
  }
}

/** The usage text of a command, from its spec. */
export function usageText(spec: CommandSpec): string {
  const names = Object.keys(spec.options).sort();
  const shown = names.map((name) => {
    const option = spec.options[name] as OptionSpec;
    return [`--${name}${option.value === undefined ? '' : ` ${option.value}`}`, option.help] as const;
  });
  shown.push(['--help, -h', 'print this text and exit']);
  const width = Math.max(...shown.map(([left]) => left.length));
  const lines = [`usage: ${spec.usage}`, '', spec.about, '', 'options:'];
  for (const [left, help] of shown) lines.push(`  ${left.padEnd(width)}  ${help}`);
  return `${lines.join('\n')}\n`;
}

export class Args {
  readonly positional: string[] = [];
  /** What follows `--`, for a command with `rest`. */
  readonly rest: string[] = [];
  readonly #values = new Map<string, string>();
  readonly #flags = new Set<string>();

  constructor(argv: readonly string[], spec: CommandSpec) {
    const split = spec.rest === undefined ? -1 : argv.indexOf('--');
    const own = split === -1 ? argv : argv.slice(0, split);
    if (own.includes('--help') || own.includes('-h')) throw new HelpRequested(usageText(spec));
    for (let i = 0; i < own.length; i++) {
      const arg = own[i] as string;
      if (!arg.startsWith('-') || arg === '-') {
        this.positional.push(arg);
        continue;
      }
      const equals = arg.indexOf('=');
      const name = arg.startsWith('--') ? arg.slice(2, equals === -1 ? undefined : equals) : '';
      const option = Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
      if (option === undefined)
        throw new UsageError(`unknown option ${equals === -1 ? arg : arg.slice(0, equals)}`);
      if (option.value === undefined) {
        if (equals !== -1) throw new UsageError(`--${name} takes no value: ${arg}`);
        this.#flags.add(name);
        continue;
      }
      let value: string | undefined;
      if (equals !== -1) value = arg.slice(equals + 1);
      else {
        value = own[i + 1];
        // `--out --smoke`: a missing value, not a file named --smoke.
        if (value === undefined || value.startsWith('--'))
          throw new UsageError(`--${name} needs a value (${option.value})`);
        i++;
      }
      if (this.#values.has(name)) throw new UsageError(`--${name} is given twice`);
      this.#values.set(name, value);
    }
    const names = spec.positionals?.names ?? [];
    if (this.positional.length > names.length)
      throw new UsageError(`unexpected argument ${this.positional[names.length]}`);
    const required = spec.positionals?.required ?? 0;
    if (this.positional.length < required)
      throw new UsageError(`missing ${names.slice(this.positional.length, required).join(' ')}`);
    if (split !== -1) this.rest.push(...argv.slice(split + 1));
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
    if (value.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new UsageError(`--${name} needs a number >= 0, not ${JSON.stringify(value)}`);
    return n;
  }

  /** A whole number of at least `least`. */
  integer(name: string, fallback: number, least = 0): number {
    const value = this.#values.get(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < least)
      throw new UsageError(`--${name} needs a whole number >= ${least}, not ${JSON.stringify(value)}`);
    return n;
  }

  /** A comma-separated list, each item one of `known` (`what` names them in the message). */
  list(name: string, fallback: readonly string[], known: readonly string[], what: string): string[] {
    const value = this.#values.get(name);
    if (value === undefined) return [...fallback];
    const items = value.split(',');
    for (const item of items) {
      if (!known.includes(item))
        throw new UsageError(`unknown ${what} ${JSON.stringify(item)} (known: ${known.join(', ')})`);
    }
    return items;
  }

  has(name: string): boolean {
    return this.#flags.has(name);
  }
}

/** `--build DIR`: a built checkout (see serverEntry). */
export const BUILD_OPTION: OptionSpec = {
  value: 'DIR',
  help: 'a built checkout to measure (default: this tree)',
};

/** `--build DIR` and `--server ID`, for the commands that take them (see serverEntry). */
export const SERVER_ENTRY_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  build: BUILD_OPTION,
  server: {
    value: 'ID',
    help: 'a server of the suite, or `transport` (the transport alone, no app) (default: ours)',
  },
};

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
