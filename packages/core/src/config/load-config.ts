import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CoreError } from '../errors.js';
import { defaultConfig } from './config-fast-path.js';
import type { Config, ConfigInput } from './config-schema.js';
import { findJsonErrorPosition } from './json-error-position.js';
import { validateConfig } from './validate-config.js';

export { defaultConfig };

/** What {@link readConfigFile} read. */
export interface ConfigFileContent {
  /** The parsed JSON (not yet validated). */
  readonly json: unknown;
  /** Whether the file was missing and has just been written with the defaults. */
  readonly created: boolean;
}

/**
 * Reads and parses a config file. When it does not exist and `createIfMissing` (default), it
 * is written with {@link defaultConfig} first, as the seed does on first start.
 * @throws CoreError `BBWS_ERR_CONFIG_READ` naming the file: unreadable, not writable when
 *   missing, or not JSON (with line and column)
 */
export function readConfigFile(path: string, options: { createIfMissing?: boolean } = {}): ConfigFileContent {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (!missing || options.createIfMissing === false) {
      throw new CoreError(
        'BBWS_ERR_CONFIG_READ',
        `cannot read config file ${path}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    return createDefaultFile(path);
  }
  // A BOM (Windows editors) is not JSON, but it is no reason to refuse a config.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { json: JSON.parse(text), created: false };
  } catch (error) {
    const at = findJsonErrorPosition(text);
    const where = at === null ? '' : ` at line ${at.line}, column ${at.column}`;
    throw new CoreError(
      'BBWS_ERR_CONFIG_READ',
      `config file ${path} is not valid JSON${where}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function createDefaultFile(path: string): ConfigFileContent {
  const defaults = defaultConfig();
  try {
    mkdirSync(dirname(path), { recursive: true });
    // 'wx': if another process created it in the meantime, keep theirs and read it.
    writeFileSync(path, `${JSON.stringify(defaults, null, 2)}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return readConfigFile(path, { createIfMissing: false });
    throw new CoreError(
      'BBWS_ERR_CONFIG_READ',
      `config file ${path} is missing and cannot be created: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { json: JSON.parse(JSON.stringify(defaults)), created: true };
}

/**
 * Validates a config object (no environment overrides; see `resolveConfig` for those).
 * Unknown keys are dropped silently here; `resolveConfig` returns them as warnings.
 * @throws CoreError `BBWS_ERR_CONFIG_INVALID`, one line per problem
 */
export function parseConfig(input: unknown, source = 'config'): Config {
  return validateConfig(input, { source }).config;
}

/**
 * Reads `path` (creating it with the defaults when missing) and validates it, without
 * environment overrides; see `resolveConfig` for those.
 * @throws CoreError `BBWS_ERR_CONFIG_READ`, `BBWS_ERR_CONFIG_INVALID`
 */
export function loadConfigFile(path: string): Config {
  return parseConfig(readConfigFile(path).json, path);
}

export type { ConfigInput };
