import type { Endpoint } from '@bbws/router';
import type pino from 'pino';
import type { LogConfig } from '../config/config-schema.js';
import { CoreError } from '../errors.js';
import { formatLogMessage } from './format-log-message.js';
import {
  ALL_LEVELS_MASK,
  isLogLevel,
  LEVEL_BITS,
  LOG_LEVELS,
  type LogLevel,
  levelMask,
  PINO_LEVEL_VALUES,
} from './log-levels.js';
import {
  endpointScopeKey,
  GLOBAL_SCOPE,
  type LogScope,
  parseLogScope,
  scopeMatches,
  scopeSpecificity,
} from './log-scope.js';
import {
  consoleSink,
  type FileSinkOptions,
  fileSink,
  type LogDestination,
  loadPino,
  type Sink,
  SinkRouter,
} from './log-sinks.js';

/**
 * The callback sink: called with the message as text, an ISO 8601 timestamp, the level and
 * the scope key (`ip:port::domain`, `''` when the message has no scope).
 */
export type LoggingCallback = (message: string, timestamp: string, level: LogLevel, scope: string) => void;

/**
 * What `log()` takes as a message: a string, an `Error` (logged with its stack), an object
 * (its fields become fields of the JSON record), or a function returning one of these, called
 * only when some sink takes the level.
 */
export type LogMessage = unknown;

/** Where a message comes from: a scope key `ip:port::domain`, or a request's endpoint. */
export type LogScopeInput = string | Endpoint;

/** Options of {@link LogHub.setLogging}. */
export interface SetLoggingOptions {
  /** Only for messages of this scope (`ip:port::domain`, each part optional); default: all. */
  readonly scope?: string;
}

/** Options of a {@link LogHub}. Every field has a default; see docs/logging.md. */
export interface LogHubOptions {
  /** Levels switched on (default: info, timeout, warning, error, critical). */
  readonly levels?: readonly LogLevel[];
  /** Scope overrides: scope → { level: on/off }, like {@link LogHub.setLogging} with a scope. */
  readonly scopes?: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
  /** Console sink: `true` (default) writes to stdout, `false` none, or a destination of yours. */
  readonly console?: boolean | LogDestination;
  /** Console lines through pino-pretty (default `false`; `true` in dev mode). */
  readonly pretty?: boolean;
  /** File sinks (JSON lines), each with the levels it takes (default: all switched-on levels). */
  readonly files?: readonly { readonly path: string; readonly levels?: readonly LogLevel[] }[];
  /** A callback sink. */
  readonly callback?: LoggingCallback;
}

type PinoLogger = pino.Logger<LogLevel>;

interface ScopeFilter {
  readonly key: string;
  readonly pattern: LogScope;
  readonly specificity: number;
  on: number;
  off: number;
}

const DEFAULT_LEVELS: readonly LogLevel[] = ['info', 'timeout', 'warning', 'error', 'critical'];
/** Cached children and scope decisions per scope key; keys come from Host headers, so bounded. */
const MAX_CACHED_SCOPES = 1024;

/**
 * The log of one app: which levels are on (globally and per scope `ip:port::domain`), and the
 * sinks that take them: console (JSON or pino-pretty), files, a callback. Records are pino
 * JSON lines; a scope is a pino child logger.
 *
 * A message is looked at only when a sink takes its level in its scope: below that, `log()` is
 * one mask test and returns, so no string is built, no `toString` or serializer runs.
 *
 * Each app owns one (`app.logger`; inject it with `LogHub` or `LOG_HUB`). `defaultLogHub()` is
 * the documented default for code outside an app.
 * @see docs/logging.md
 */
export class LogHub {
  #pino: PinoLogger | null = null;
  #gate: number;
  #filters: ScopeFilter[] = [];
  readonly #router = new SinkRouter();
  #console: Sink | null = null;
  /** Union of all sink masks that go through pino. */
  #routed = 0;
  #callback: LoggingCallback | null = null;
  #callbackMask = 0;
  /** Told when switches or sinks change, so an app can rebuild what depends on them. */
  readonly #changeListeners: Array<() => void> = [];
  readonly #children = new Map<string, PinoLogger>();
  readonly #scopeGates = new Map<string, number>();

  constructor(options: LogHubOptions = {}) {
    this.#gate = levelMask(checkLevels(options.levels ?? DEFAULT_LEVELS));
    for (const [scope, levels] of Object.entries(options.scopes ?? {})) {
      for (const [level, enabled] of Object.entries(levels)) {
        this.setLogging(checkLevel(level.toLowerCase()), enabled, { scope });
      }
    }
    const consoleOption = options.console ?? true;
    if (consoleOption !== false) {
      this.logToConsole(true, {
        pretty: options.pretty ?? false,
        ...(consoleOption === true ? {} : { out: consoleOption }),
      });
    }
    for (const file of options.files ?? []) this.logToFile(file.path, file.levels);
    if (options.callback !== undefined) this.setLoggingCallback(options.callback);
  }

  /**
   * The root pino logger; records written through it reach the sinks that take their level.
   * Created on first use: a text message without an error is written as the same JSON line
   * without it, so a start that logs only such lines never loads pino
   * (docs/architecture.md, "What start loads").
   */
  get pino(): PinoLogger {
    this.#pino ??= loadPino()<LogLevel, true>(
      {
        level: 'debug',
        customLevels: PINO_LEVEL_VALUES,
        useOnlyCustomLevels: true,
        base: undefined,
      },
      this.#router,
    );
    return this.#pino;
  }

  /**
   * A hub from the `log` section of the config. `pretty: "auto"` means pretty in dev mode.
   * @param console replaces stdout (tests)
   */
  static fromConfig(
    config: LogConfig,
    options: { devMode?: boolean; console?: LogDestination } = {},
  ): LogHub {
    return new LogHub({
      levels: config.levels,
      scopes: config.scopes,
      console: config.console ? (options.console ?? true) : false,
      pretty: config.pretty === 'auto' ? options.devMode === true : config.pretty,
      files: config.files,
    });
  }

  /**
   * Switches levels on or off, for every message or only for one scope. A scope setting wins
   * over the global one for the messages it covers; the more specific scope wins
   * (IP > port > domain, as selectors rank).
   * @param level a level, a list, or `'all'`
   * @throws CoreError `BBWS_ERR_LOG_LEVEL` for an unknown level, `BBWS_ERR_LOG_SCOPE` for a bad scope
   * @example hub.setLogging(LOGGING_OPTIONS.DEBUG, true, { scope: '127.0.0.1:5000::example.com' })
   */
  setLogging(
    level: LogLevel | readonly LogLevel[] | 'all',
    enabled: boolean,
    options: SetLoggingOptions = {},
  ): void {
    const mask =
      level === 'all' ? ALL_LEVELS_MASK : levelMask(checkLevels(typeof level === 'string' ? [level] : level));
    const pattern = options.scope === undefined ? GLOBAL_SCOPE : parseLogScope(options.scope);
    if (pattern === null) {
      throw new CoreError(
        'BBWS_ERR_LOG_SCOPE',
        `logging scope "${options.scope}" is not "ip:port::domain" (each part optional, IPv6 in brackets)`,
      );
    }
    if (pattern === GLOBAL_SCOPE) {
      this.#gate = enabled ? this.#gate | mask : this.#gate & ~mask;
    } else {
      const filter = this.#filterFor(pattern);
      filter.on = enabled ? filter.on | mask : filter.on & ~mask;
      filter.off = enabled ? filter.off & ~mask : filter.off | mask;
    }
    this.#scopeGates.clear();
    this.#changed();
  }

  /**
   * Whether a message of `level` could reach a sink in some scope: the level is on globally or
   * for some scope, and a sink takes it. An app asks this when switches change, not per request.
   */
  mayLog(level: LogLevel): boolean {
    const bit = LEVEL_BITS[level];
    if ((bit & (this.#routed | this.#callbackMask)) === 0) return false;
    if ((this.#gate & bit) !== 0) return true;
    return this.#filters.some((filter) => (filter.on & bit) !== 0);
  }

  /**
   * Calls `listener` after every change of switches or sinks (`setLogging`, `logToConsole`,
   * `logToFile`, `setLoggingCallback`, `close`). @returns a function that removes it
   */
  onChange(listener: () => void): () => void {
    this.#changeListeners.push(listener);
    return () => {
      const at = this.#changeListeners.indexOf(listener);
      if (at >= 0) this.#changeListeners.splice(at, 1);
    };
  }

  #changed(): void {
    for (const listener of this.#changeListeners) listener();
  }

  /**
   * Whether a message of `level` (in `scope`) would reach a sink. Use it to skip building an
   * expensive message; `log()` checks the same thing first.
   */
  isEnabled(level: LogLevel, scope?: LogScopeInput): boolean {
    return (this.#gateFor(scope) & LEVEL_BITS[level] & (this.#routed | this.#callbackMask)) !== 0;
  }

  /**
   * Logs a message. Nothing happens (no formatting, no call of a function message) unless the
   * level is on for the scope and a sink takes it.
   * @param message text, an Error, an object of fields, or a function returning one of these
   * @param level default `'info'`
   * @param scope `ip:port::domain` or a request's endpoint
   * @param error an error that goes with a text message: logged under `err` with its stack
   * @throws CoreError `BBWS_ERR_LOG_LEVEL` for an unknown level
   * @example hub.log(`${request.method} ${request.path} failed`, 'error', request.endpoint, error)
   */
  log(message: LogMessage, level: LogLevel = 'info', scope?: LogScopeInput, error?: unknown): void {
    const bit = LEVEL_BITS[level];
    if (bit === undefined) checkLevel(level);
    if ((this.#gateFor(scope) & bit & (this.#routed | this.#callbackMask)) === 0) return;
    const value = typeof message === 'function' ? (message as () => unknown)() : message;
    const scopeKey = scope === undefined ? '' : typeof scope === 'string' ? scope : endpointScopeKey(scope);
    if ((this.#routed & bit) !== 0) this.#write(value, level, scopeKey, error);
    if ((this.#callbackMask & bit) !== 0) this.#callCallback(value, level, scopeKey, error);
  }

  /**
   * Writes to stdout (or `out`), JSON lines or pino-pretty; `false` removes the console sink.
   * @param levels the levels the console takes (default: all switched-on levels)
   */
  logToConsole(
    enabled: boolean,
    options: { pretty?: boolean; out?: LogDestination; levels?: readonly LogLevel[] } = {},
  ): void {
    if (this.#console !== null) {
      this.#router.sinks = this.#router.sinks.filter((s) => s !== this.#console);
      this.#console = null;
    }
    if (enabled) {
      const mask = options.levels === undefined ? ALL_LEVELS_MASK : levelMask(checkLevels(options.levels));
      this.#console = consoleSink(mask, {
        pretty: options.pretty ?? false,
        ...(options.out === undefined ? {} : { out: options.out }),
      });
      this.#router.sinks.push(this.#console);
    }
    this.#updateRouted();
  }

  /**
   * Appends JSON lines of `levels` (default: all switched-on levels) to `path`, creating its
   * directories. The seed's `log_to_file`.
   * @returns a function that removes this sink and closes the file
   * @throws CoreError `BBWS_ERR_LOG_FILE` when the file cannot be opened, `BBWS_ERR_LOG_LEVEL`
   */
  logToFile(
    path = 'logs/server.log',
    levels?: readonly LogLevel[],
    options: FileSinkOptions = {},
  ): () => Promise<void> {
    const mask = levels === undefined ? ALL_LEVELS_MASK : levelMask(checkLevels(levels));
    const sink = fileSink(path, mask, options);
    this.#router.sinks.push(sink);
    this.#updateRouted();
    return async () => {
      const at = this.#router.sinks.indexOf(sink);
      if (at === -1) return;
      this.#router.sinks.splice(at, 1);
      this.#updateRouted();
      await sink.close();
    };
  }

  /**
   * Sets (or with `null` removes) the callback sink: `(message, timestamp, level, scope)`. The
   * seed's `set_logging_callback`.
   * @param levels the levels it takes (default: all switched-on levels)
   */
  setLoggingCallback(callback: LoggingCallback | null, levels?: readonly LogLevel[]): void {
    this.#callback = callback;
    this.#callbackMask =
      callback === null ? 0 : levels === undefined ? ALL_LEVELS_MASK : levelMask(checkLevels(levels));
    this.#changed();
  }

  /** Writes out buffered file lines (sinks opened with `sync: false`). */
  flush(): void {
    for (const sink of this.#router.sinks) sink.flush();
  }

  /** Flushes and closes every file sink; the hub keeps working with the console and callback. */
  async close(): Promise<void> {
    const sinks = this.#router.sinks;
    this.#router.sinks = this.#console === null ? [] : [this.#console];
    this.#updateRouted();
    await Promise.all(sinks.map((sink) => sink.close()));
  }

  #write(value: unknown, level: LogLevel, scopeKey: string, error: unknown): void {
    if (error === undefined && (typeof value !== 'object' || value === null)) {
      this.#router.writeText(
        PINO_LEVEL_VALUES[level],
        scopeKey,
        typeof value === 'string' ? value : String(value),
      );
      return;
    }
    const logger = this.#childFor(scopeKey);
    if (error !== undefined) logger[level]({ err: error }, formatLogMessage(value));
    else if (typeof value === 'object' && value !== null) logger[level](value);
    else logger[level](typeof value === 'string' ? value : String(value));
  }

  #callCallback(value: unknown, level: LogLevel, scopeKey: string, error: unknown): void {
    const callback = this.#callback;
    if (callback === null) return;
    const text =
      error === undefined
        ? formatLogMessage(value)
        : `${formatLogMessage(value)}: ${formatLogMessage(error)}`;
    try {
      callback(text, new Date().toISOString(), level, scopeKey);
    } catch (error) {
      // A broken callback must not break the request that logged; it is reported, not hidden.
      process.emitWarning(`logging callback threw: ${(error as Error)?.message ?? String(error)}`, {
        code: 'BBWS_LOG_CALLBACK',
      });
    }
  }

  #childFor(scopeKey: string): PinoLogger {
    if (scopeKey === '') return this.pino;
    let child = this.#children.get(scopeKey);
    if (child === undefined) {
      if (this.#children.size >= MAX_CACHED_SCOPES) this.#children.clear();
      child = this.pino.child({ scope: scopeKey }) as PinoLogger;
      this.#children.set(scopeKey, child);
    }
    return child;
  }

  /** Hot: runs on every `log()` call. Without scope filters it is one field read. */
  #gateFor(scope: LogScopeInput | undefined): number {
    if (scope === undefined || this.#filters.length === 0) return this.#gate;
    const key = typeof scope === 'string' ? scope : endpointScopeKey(scope);
    let gate = this.#scopeGates.get(key);
    if (gate === undefined) {
      gate = this.#computeGate(key);
      if (this.#scopeGates.size >= MAX_CACHED_SCOPES) this.#scopeGates.clear();
      this.#scopeGates.set(key, gate);
    }
    return gate;
  }

  #computeGate(key: string): number {
    // A scope that does not parse is matched by no filter: the global switches apply.
    const scope = parseLogScope(key);
    let gate = this.#gate;
    if (scope === null) return gate;
    for (const filter of this.#filters) {
      if (scopeMatches(filter.pattern, scope)) gate = (gate & ~filter.off) | filter.on;
    }
    return gate;
  }

  #filterFor(pattern: LogScope): ScopeFilter {
    const key = `${pattern.ip ?? ''}|${pattern.port ?? ''}|${pattern.domain ?? ''}`;
    let filter = this.#filters.find((f) => f.key === key);
    if (filter === undefined) {
      filter = { key, pattern, specificity: scopeSpecificity(pattern), on: 0, off: 0 };
      this.#filters.push(filter);
      // Applied from least to most specific, so the most specific setting of a level wins.
      this.#filters.sort((a, b) => a.specificity - b.specificity);
    }
    return filter;
  }

  #updateRouted(): void {
    let routed = 0;
    for (const sink of this.#router.sinks) routed |= sink.mask;
    this.#routed = routed;
    this.#changed();
  }
}

function checkLevel(level: string): LogLevel {
  if (!isLogLevel(level)) {
    throw new CoreError(
      'BBWS_ERR_LOG_LEVEL',
      `unknown logging level "${level}"; expected one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  return level;
}

function checkLevels(levels: readonly string[]): LogLevel[] {
  return levels.map(checkLevel);
}
