import { resolve } from 'node:path';
import type { Config, ConfigInput } from './config-schema.js';
import { type EffectiveServerConfig, effectiveServerConfigs } from './effective-server-config.js';
import { applyEnvOverrides, CONFIG_FILE_ENV } from './env-overrides.js';
import { readConfigFile } from './load-config.js';
import { validateConfig } from './validate-config.js';

/** Where {@link resolveConfig} takes the configuration from. */
export interface ResolveConfigOptions {
  /**
   * The config file. Default: `$BBWS_CONFIG`, else `config/config.json` in the working
   * directory; not read at all when only `object` is given.
   */
  readonly file?: string;
  /** Config keys given in code; laid over the file's top-level keys when both are given. */
  readonly object?: ConfigInput | Readonly<Record<string, unknown>>;
  /** Environment for `BBWS_*` overrides (default `process.env`; `{}` for none). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Write the defaults when the file is missing (default `true`). */
  readonly createIfMissing?: boolean;
}

/** A resolved configuration. */
export interface ResolvedConfig {
  readonly config: Config;
  /** Every server entry with its limits filled in from the global values. */
  readonly servers: readonly EffectiveServerConfig[];
  /** Non-fatal findings, one line each: unknown keys and unknown `BBWS_*` variables. */
  readonly warnings: readonly string[];
  /** The file that was read (absolute), or `null`. */
  readonly file: string | null;
  /** Whether that file was missing and has been created with the defaults. */
  readonly created: boolean;
}

/**
 * The configuration an app starts with: defaults, then the file (created with the defaults
 * when missing), then `object`, then `BBWS_*` environment variables; validated by the zod
 * schema.
 * @throws CoreError `BBWS_ERR_CONFIG_READ` (file unreadable or not JSON, naming file and
 *   position), `BBWS_ERR_CONFIG_INVALID` (one line per problem: key or variable, value, expectation)
 * @see docs/configuration.md
 */
export function resolveConfig(options: ResolveConfigOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const fileOption =
    options.file ??
    (options.object === undefined ? (env[CONFIG_FILE_ENV] ?? 'config/config.json') : undefined);
  const file = fileOption === undefined ? null : resolve(fileOption);
  let input: unknown = {};
  let created = false;
  if (file !== null) {
    const content = readConfigFile(file, { createIfMissing: options.createIfMissing ?? true });
    input = content.json;
    created = content.created;
  }
  if (options.object !== undefined) {
    // Not an object: validateConfig reports it as the one problem.
    if (!isRecord(options.object)) validateConfig(options.object, { source: 'config object' });
    input = isRecord(input) ? { ...input, ...options.object } : { ...options.object };
  }
  const source = [fileOption, options.object === undefined ? null : 'config object']
    .filter(Boolean)
    .join(' + ');
  if (!isRecord(input)) {
    // Not an object: validateConfig reports it as the one problem.
    validateConfig(input, { source: source || 'config' });
  }
  const overrides = applyEnvOverrides(input as Record<string, unknown>, env);
  const usedEnv = overrides.origins.size > 0 || overrides.problems.length > 0;
  const { config, warnings } = validateConfig(overrides.input, {
    source: `${source || 'config'}${usedEnv ? ' + environment' : ''}`,
    origins: overrides.origins,
    problems: overrides.problems,
  });
  return {
    config,
    servers: effectiveServerConfigs(config),
    warnings: [...warnings, ...overrides.warnings],
    file,
    created,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
