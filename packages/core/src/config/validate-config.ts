import { CoreError } from '../errors.js';
import { parseConfigFast } from './config-fast-path.js';
import { formatValue, issueLines } from './config-problems.js';
import { type Config, configSchemas } from './config-schema.js';
import { findUnknownKeys } from './unknown-keys.js';

/** Options of {@link validateConfig}. */
export interface ValidateConfigOptions {
  /** What the input came from, for the error's first line (`config/config.json`). */
  readonly source?: string;
  /** Key path → environment variable that set it. */
  readonly origins?: ReadonlyMap<string, string>;
  /** Problems found before validation (environment values that did not convert). */
  readonly problems?: readonly string[];
}

/** A validated config and what was noticed but not fatal. */
export interface ValidatedConfig {
  readonly config: Config;
  /** One line per unknown key (ignored) or legacy key (moved). */
  readonly warnings: string[];
}

/** Listener keys that configs before bbwebservice 3 had at the top level. */
const LEGACY_LISTENER_KEYS = ['ip', 'port', 'queue_size', 'SSL', 'host', 'cert_path', 'key_path'] as const;

/**
 * Validates a config input. Every problem is one line: key path, value, what was expected.
 * @throws CoreError `BBWS_ERR_CONFIG_INVALID` listing every problem
 */
export function validateConfig(input: unknown, options: ValidateConfigOptions = {}): ValidatedConfig {
  const source = options.source ?? 'config';
  const warnings: string[] = [];
  const problems = [...(options.problems ?? [])];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    problems.push(`(root): got ${formatValue(input)}, expected an object of config keys`);
    throw invalid(source, problems);
  }
  const lifted = liftLegacyListener(input as Record<string, unknown>, warnings);
  for (const key of findUnknownKeys(lifted)) {
    warnings.push(`${key}: unknown key, ignored (a key of a newer version, or a typo?)`);
  }
  if (problems.length === 0) {
    const config = parseConfigFast(lifted);
    if (config !== null) return { config, warnings };
  }
  const result = configSchemas().configSchema.safeParse(lifted);
  if (!result.success)
    problems.push(...issueLines(result.error.issues, lifted, options.origins ?? new Map()));
  if (problems.length > 0 || !result.success) throw invalid(source, problems);
  return { config: result.data, warnings };
}

function invalid(source: string, problems: readonly string[]): CoreError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new CoreError(
    'BBWS_ERR_CONFIG_INVALID',
    `invalid ${source} (${count}):\n  ${problems.join('\n  ')}`,
  );
}

/**
 * A config without `server` but with a top-level `ip`/`port`/... (bbwebservice 1.x and 2.x)
 * becomes one server entry, so those files start where they used to.
 */
function liftLegacyListener(input: Record<string, unknown>, warnings: string[]): Record<string, unknown> {
  if ('server' in input) return input;
  const present = LEGACY_LISTENER_KEYS.filter((key) => key in input);
  if (present.length === 0) return input;
  const rest: Record<string, unknown> = { ...input };
  const server: Record<string, unknown> = {};
  for (const key of present) {
    server[key] = rest[key];
    delete rest[key];
  }
  warnings.push(`${present.join(', ')}: top-level listener keys (older config format) moved into server[0]`);
  return { ...rest, server: [server] };
}
