import { defaultConfig, defaultServerConfig } from './config-fast-path.js';
import { formatKeyPath, formatValue } from './config-problems.js';
import type { Config } from './config-schema.js';
import { OVERRIDABLE_LIMITS } from './overridable-limits.js';

/** The prefix of every environment override. */
export const ENV_PREFIX = 'BBWS_';
/** Names the config file to read (not an override of a key). */
export const CONFIG_FILE_ENV = 'BBWS_CONFIG';
/** Set by the cluster primary in each child: its process index (not an override of a key). */
export const PROCESS_INDEX_ENV = 'BBWS_PROCESS_INDEX';

type Kind =
  | 'number'
  | 'boolean'
  | 'text'
  | 'list'
  | 'flag-or-text'
  | 'text-or-json'
  | 'number-or-text'
  | 'flag-or-json'
  | 'trust-proxy';

/** An environment variable and the key it overrides. */
interface EnvKey {
  readonly path: readonly (string | number)[];
  readonly kind: Kind;
}

/** Result of {@link applyEnvOverrides}. */
export interface EnvOverrides {
  /** The input with the overrides applied (a copy; the input is not changed). */
  readonly input: Record<string, unknown>;
  /** Key path (`server[0].port`) → the variable that set it, to name it in problem lines. */
  readonly origins: ReadonlyMap<string, string>;
  /** Variables whose text does not convert to the key's type, one line each. */
  readonly problems: readonly string[];
  /** `BBWS_*` variables that name no key. */
  readonly warnings: readonly string[];
}

/** Env name of a key: upper case, `-` → `_` (`https-redirect` → `HTTPS_REDIRECT`). */
export function envNameOf(key: string): string {
  return key.toUpperCase().replaceAll('-', '_');
}

const SPECIAL_KINDS: Readonly<Record<string, Kind>> = {
  pretty: 'flag-or-text',
  host: 'text-or-json',
  trust_proxy: 'trust-proxy',
  processes: 'number-or-text',
  health: 'flag-or-json',
};

function kindOfDefault(key: string, value: unknown): Kind {
  const special = SPECIAL_KINDS[key];
  if (special !== undefined) return special;
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'list';
  return 'text';
}

/** `BBWS_<KEY>` for every global key, `BBWS_LOG_<KEY>` for the scalar log keys, `BBWS_COMPRESSION_<KEY>`. */
const GLOBAL_KEYS: ReadonlyMap<string, EnvKey> = (() => {
  const defaults: Config = defaultConfig();
  const table = new Map<string, EnvKey>();
  for (const [key, value] of Object.entries(defaults)) {
    if (key === 'log' || key === 'server' || key === 'compression') continue;
    table.set(`${ENV_PREFIX}${envNameOf(key)}`, { path: [key], kind: kindOfDefault(key, value) });
  }
  for (const key of ['levels', 'console', 'pretty'] as const) {
    table.set(`${ENV_PREFIX}LOG_${envNameOf(key)}`, {
      path: ['log', key],
      kind: kindOfDefault(key, defaults.log[key]),
    });
  }
  for (const [key, value] of Object.entries(defaults.compression)) {
    table.set(`${ENV_PREFIX}COMPRESSION_${envNameOf(key)}`, {
      path: ['compression', key],
      kind: kindOfDefault(key, value),
    });
  }
  return table;
})();

/** `<KEY>` of `BBWS_SERVER_<n>_<KEY>` → key and kind. */
const SERVER_KEYS: ReadonlyMap<string, { readonly key: string; readonly kind: Kind }> = (() => {
  const defaults = defaultServerConfig();
  const table = new Map<string, { key: string; kind: Kind }>();
  for (const [key, value] of Object.entries(defaults)) {
    table.set(envNameOf(key), { key, kind: kindOfDefault(key, value) });
  }
  for (const key of OVERRIDABLE_LIMITS) table.set(envNameOf(key), { key, kind: 'number' });
  // Optional without a default, so the defaults above do not show it.
  table.set(envNameOf('https_port'), { key: 'https_port', kind: 'number' });
  return table;
})();

const SERVER_VAR = /^BBWS_SERVER_(\d+)_(.+)$/;

/**
 * Applies `BBWS_*` environment variables over a config input: `BBWS_MAX_BODY_SIZE=1048576`
 * sets `max_body_size`, `BBWS_SERVER_0_PORT=8080` sets `server[0].port`, `BBWS_LOG_LEVELS=
 * info,error` sets `log.levels`. Text is converted to the key's type; the schema validates the
 * result like any file value. See docs/configuration.md ("Environment overrides").
 */
export function applyEnvOverrides(
  input: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): EnvOverrides {
  const out: Record<string, unknown> = { ...input };
  const origins = new Map<string, string>();
  const problems: string[] = [];
  const warnings: string[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && name !== CONFIG_FILE_ENV && name !== PROCESS_INDEX_ENV)
    .sort();
  for (const name of names) {
    const text = env[name];
    if (text === undefined) continue;
    const target = lookup(name, out);
    if (typeof target === 'string') {
      (target.startsWith('unknown') ? warnings : problems).push(`${name}: ${target}`);
      continue;
    }
    const key = formatKeyPath(target.path);
    const converted = convert(text, target.kind);
    if (!converted.ok) {
      problems.push(`${name} (${key}): got ${formatValue(text)}, expected ${converted.expected}`);
      continue;
    }
    setPath(out, target.path, converted.value);
    origins.set(key, name);
  }
  return { input: out, origins, problems, warnings };
}

/** The key a variable names, or why it names none. */
function lookup(name: string, input: Record<string, unknown>): EnvKey | string {
  const global = GLOBAL_KEYS.get(name);
  if (global !== undefined) return global;
  const match = SERVER_VAR.exec(name);
  if (match === null) return 'unknown environment variable, ignored (no config key has this name)';
  const index = Number(match[1]);
  const serverKey = SERVER_KEYS.get(match[2] ?? '');
  if (serverKey === undefined)
    return `unknown environment variable, ignored (a server entry has no key ${match[2]})`;
  const servers = Array.isArray(input.server) ? input.server.length : 1; // absent: the one default entry
  if (index >= servers) return `no server entry ${index} to override (the config has ${servers})`;
  return { path: ['server', index, serverKey.key], kind: serverKey.kind };
}

type Converted = { ok: true; value: unknown } | { ok: false; expected: string };

const DECIMAL = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

function convert(text: string, kind: Kind): Converted {
  const trimmed = text.trim();
  switch (kind) {
    case 'number':
      return DECIMAL.test(trimmed)
        ? { ok: true, value: Number(trimmed) }
        : { ok: false, expected: 'a number' };
    case 'boolean':
    case 'flag-or-text': {
      const lower = trimmed.toLowerCase();
      if (TRUE.has(lower)) return { ok: true, value: true };
      if (FALSE.has(lower)) return { ok: true, value: false };
      return kind === 'boolean'
        ? { ok: false, expected: 'true or false (also 1/0, yes/no, on/off)' }
        : { ok: true, value: trimmed };
    }
    case 'list':
      if (trimmed.startsWith('[')) return parseJson(trimmed, 'a JSON array or a comma-separated list');
      return { ok: true, value: trimmed === '' ? [] : trimmed.split(',').map((item) => item.trim()) };
    case 'trust-proxy': {
      // `false`/`off`, a hop count, or a comma-separated (or JSON) list of addresses.
      if (FALSE.has(trimmed.toLowerCase())) return { ok: true, value: false };
      if (/^\d+$/.test(trimmed)) return { ok: true, value: Number(trimmed) };
      return convert(text, 'list');
    }
    case 'number-or-text':
      return { ok: true, value: DECIMAL.test(trimmed) ? Number(trimmed) : trimmed };
    case 'flag-or-json': {
      const lower = trimmed.toLowerCase();
      if (FALSE.has(lower)) return { ok: true, value: false };
      return trimmed.startsWith('{')
        ? parseJson(trimmed, 'false, or a JSON object')
        : { ok: false, expected: 'false, or a JSON object' };
    }
    case 'text-or-json':
      return trimmed.startsWith('[') || trimmed.startsWith('{')
        ? parseJson(trimmed, 'a string, or JSON for a list')
        : { ok: true, value: text };
    default:
      return { ok: true, value: text };
  }
}

function parseJson(text: string, expected: string): Converted {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // The caller reports it as a problem line naming the variable; the parser's wording adds nothing.
    return { ok: false, expected };
  }
}

/** Sets a value at a path, copying every object and array on the way (the input stays intact). */
function setPath(root: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string | number;
    const next = node[key];
    const copy = (
      Array.isArray(next)
        ? [...next]
        : next !== null && typeof next === 'object'
          ? { ...next }
          : typeof path[i + 1] === 'number'
            ? [{}]
            : {}
    ) as Record<string | number, unknown>;
    node[key] = copy;
    node = copy;
  }
  node[path[path.length - 1] as string | number] = value;
}
