import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CoreError } from '../errors.js';
import { type Config, type ConfigInput, configSchema } from './config-schema.js';

/**
 * Validates a config object. Every problem is one line: key path, value, what was expected.
 * @throws CoreError `BBWS_ERR_CONFIG_INVALID`
 */
export function parseConfig(input: unknown, source = 'config'): Config {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.length === 0 ? '(root)' : issue.path.join('.');
    const value = valueAt(input, issue.path);
    return `  ${path}: ${issue.message} (got ${JSON.stringify(value)})`;
  });
  throw new CoreError('BBWS_ERR_CONFIG_INVALID', `invalid ${source}:\n${lines.join('\n')}`);
}

/**
 * Reads `path`; when it does not exist, writes the defaults there first (as the seed does).
 * @throws CoreError `BBWS_ERR_CONFIG_READ` for unreadable or non-JSON files,
 *   `BBWS_ERR_CONFIG_INVALID` for invalid values.
 */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CoreError('BBWS_ERR_CONFIG_READ', `cannot read ${path}`, { cause: error });
    }
    const defaults = parseConfig({});
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(defaults, null, 2)}\n`);
    return defaults;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CoreError('BBWS_ERR_CONFIG_READ', `${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseConfig(json, path);
}

export type { ConfigInput };

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
