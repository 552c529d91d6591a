import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type pino from 'pino';
import { CoreError } from '../errors.js';
import { LEVEL_BITS, LOG_LEVELS, PINO_LEVEL_VALUES } from './log-levels.js';

/** Where serialized log lines go: anything with a synchronous `write(line)` (a pino destination). */
export interface LogDestination {
  write(line: string): unknown;
}

/** A destination the hub owns: written to when its level mask has the record's level. */
export interface Sink {
  /** Levels this sink takes (bit mask, see `LEVEL_BITS`). */
  mask: number;
  readonly destination: LogDestination;
  /** Writes out anything buffered. */
  flush(): void;
  /** Flushes and releases the file descriptor (the console is left open). */
  close(): Promise<void>;
}

/** Options of a console sink. */
export interface ConsoleSinkOptions {
  /** Human-readable lines through pino-pretty instead of JSON lines. */
  readonly pretty: boolean;
  /** Where lines go (default: stdout). */
  readonly out?: LogDestination;
}

let pinoModule: typeof pino | null = null;

/**
 * pino, loaded when a record needs it (an object or an error to serialize, a file sink, a
 * direct `hub.pino` call), through require(): not at start (docs/architecture.md, "What start
 * loads").
 */
export function loadPino(): typeof pino {
  pinoModule ??= createRequire(import.meta.url)('pino') as typeof pino;
  return pinoModule;
}

/**
 * stdout, written synchronously as pino's `destination({ dest: 1, sync: true })` does: Node
 * writes to a file, pipe or terminal on stdout synchronously on Linux.
 */
const STDOUT: LogDestination = { write: (line: string) => process.stdout.write(line) };

/** A console sink: stdout (or `out`), JSON lines or pino-pretty output. */
export function consoleSink(mask: number, options: ConsoleSinkOptions): Sink {
  const out = options.out ?? STDOUT;
  const destination = options.pretty ? prettyDestination(out, options.out === undefined) : out;
  return {
    mask,
    destination,
    // stdout is opened synchronous (pino's default): nothing is ever buffered here.
    flush: () => {},
    close: async () => {},
  };
}

/** Options of a file sink. */
export interface FileSinkOptions {
  /**
   * `true` (default): every line is written before `log()` returns, so nothing is lost on a
   * crash. `false`: lines are buffered (4 KiB) and written asynchronously; call
   * `LogHub.flush()` or `close()` before the process exits.
   */
  readonly sync?: boolean;
}

/**
 * A file sink: appends JSON lines to `path`, creating missing directories.
 * @throws CoreError `BBWS_ERR_LOG_FILE` when the file cannot be opened
 */
export function fileSink(path: string, mask: number, options: FileSinkOptions = {}): Sink {
  const file = resolve(path);
  const sync = options.sync ?? true;
  let stream: pino.DestinationStream & ReturnType<typeof pino.destination>;
  try {
    stream = loadPino().destination({
      dest: file,
      mkdir: true,
      sync,
      append: true,
      minLength: sync ? 0 : 4096,
    });
  } catch (error) {
    throw new CoreError(
      'BBWS_ERR_LOG_FILE',
      `cannot open log file ${file} (directory ${dirname(file)}): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const sink: Sink = {
    mask,
    destination: stream,
    flush: () => {
      if (!sync) stream.flushSync();
    },
    close: () =>
      new Promise<void>((done) => {
        stream.once('close', () => done());
        stream.end();
      }),
  };
  // A write that fails later (disk full, file removed with its directory) must not crash the
  // server through an unhandled 'error' event: the sink stops taking lines and says why once.
  stream.on('error', (error: Error) => {
    sink.mask = 0;
    process.emitWarning(`log file ${file} disabled: ${error.message}`, { code: 'BBWS_ERR_LOG_FILE' });
  });
  return sink;
}

type PrettyFactory = (options: Record<string, unknown>) => (line: string) => string;

/** pino-pretty is loaded only when a pretty console is asked for (development). */
function prettyDestination(out: LogDestination, isStdout: boolean): LogDestination {
  const require = createRequire(import.meta.url);
  const { prettyFactory } = require('pino-pretty') as { prettyFactory: PrettyFactory };
  const format = prettyFactory({
    customLevels: PINO_LEVEL_VALUES,
    useOnlyCustomProps: true,
    colorize: isStdout && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
  return { write: (line: string) => out.write(format(line)) };
}

/** pino level number → bit of that level (`LEVEL_BITS`); 0 for numbers that are no level. */
const BIT_OF_PINO_LEVEL: readonly number[] = (() => {
  const table = new Array<number>(61).fill(0);
  for (const level of LOG_LEVELS) table[PINO_LEVEL_VALUES[level]] = LEVEL_BITS[level];
  return table;
})();

const NO_OBJECT = Object.freeze({});

/** pino's `symbols.needsMetadataGsym`, a registered symbol: known without loading pino. */
const NEEDS_METADATA: unique symbol = Symbol.for('pino.metadata') as never;

/**
 * The one destination of a hub's pino logger: sends each JSON line to the sinks that take its
 * level. The metadata symbol makes pino set `lastLevel` before each write, so records written
 * through `hub.pino` directly are routed by level too.
 */
export class SinkRouter {
  readonly [NEEDS_METADATA] = true as const;
  lastLevel = 0;
  lastTime = '';
  lastMsg = '';
  lastObj: object = NO_OBJECT;
  lastLogger: unknown = null;
  /** The sinks, in the order they were added. */
  sinks: Sink[] = [];

  /**
   * A text record without pino: the line pino writes for `logger[level](text)` (on a child
   * logger of `scope` when not `''`): `{"level":N,"time":MS,"scope":"...","msg":"..."}`.
   * A lone surrogate in `text` comes out escaped, as JSON.stringify writes it.
   */
  writeText(pinoLevel: number, scope: string, text: string): void {
    this.lastLevel = pinoLevel;
    const scopeField = scope === '' ? '' : `,"scope":${JSON.stringify(scope)}`;
    this.write(`{"level":${pinoLevel},"time":${Date.now()}${scopeField},"msg":${JSON.stringify(text)}}\n`);
  }

  /** Hot: one call per record that some sink takes. */
  write(line: string): void {
    const bit = BIT_OF_PINO_LEVEL[this.lastLevel] ?? 0;
    // pino hands over the record object too; dropping it keeps the last logged object collectable.
    this.lastObj = NO_OBJECT;
    this.lastLogger = null;
    for (const sink of this.sinks) {
      if ((sink.mask & bit) !== 0) sink.destination.write(line);
    }
  }
}
