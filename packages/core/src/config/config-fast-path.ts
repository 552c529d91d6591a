import { isIPv4, isIPv6 } from 'node:net';
import { availableParallelism } from 'node:os';
import { LOG_LEVELS, type LogLevel } from '../logging/log-levels.js';
import type { Config, ServerConfig } from './config-schema.js';
import { OVERRIDABLE_LIMITS } from './overridable-limits.js';

// The zod schema (config-schema.ts) is what the config means; zod and the schema cost about
// 50 ms of every start to load and build (docs/architecture.md, "What start loads"). This file
// reads the common configs without it: the defaults, and inputs whose every value is a plain
// scalar (or an empty list) the schema accepts. It answers the value zod would, or `null`
// whenever it is not sure, and then zod decides (and words the problems). A test compares the
// two over generated inputs: whatever this accepts, zod parses to the same value.

type Check = (value: unknown) => unknown;

/** The answer for "not sure": zod decides. */
const UNSURE: unique symbol = Symbol('unsure');

const wholeNumber: Check = (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : UNSURE);
const seconds: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : UNSURE);
const flag: Check = (v) => (typeof v === 'boolean' ? v : UNSURE);
const text: Check = (v) => (typeof v === 'string' ? v : UNSURE);
const intIn =
  (min: number, max: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max ? v : UNSURE;
const oneOf =
  (...values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? v : UNSURE;
const listOf =
  (item: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) return UNSURE;
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      const checked = item(v[i]);
      if (checked === UNSURE) return UNSURE;
      out.push(checked);
    }
    return out;
  };
/** Only the empty list or object: anything in it is left to zod. */
const emptyList: Check = (v) => (Array.isArray(v) && v.length === 0 ? [] : UNSURE);
const emptyObject: Check = (v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 ? {} : UNSURE;

const level: Check = (v) => {
  if (typeof v !== 'string') return UNSURE;
  const lower = v.toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(lower) ? (lower as LogLevel) : UNSURE;
};

function unbracket(ip: string): string {
  return ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}

const ip: Check = (v) => {
  if (typeof v !== 'string') return UNSURE;
  return v === 'default' || isIPv4(v) || isIPv6(unbracket(v)) ? unbracket(v) : UNSURE;
};

const escapePath: Check = (v) =>
  typeof v === 'string' && v.length > 0 && !v.slice(0, -1).includes('*') ? v : UNSURE;

/** A key: its check, and its default (a function: a fresh value each time). */
interface Key {
  readonly check: Check;
  readonly fallback: () => unknown;
}

const key = (check: Check, fallback: unknown): Key => ({
  check,
  fallback: () => (Array.isArray(fallback) ? [...fallback] : fallback),
});
const optional = (check: Check): Key => ({ check, fallback: () => UNSURE });

// Each table lists the keys in the schema's order, which is the order of the parsed object and
// of the config file created with the defaults.

const COMPRESSION_KEYS: Readonly<Record<string, Key>> = {
  enabled: key(flag, true),
  min_bytes: key(wholeNumber, 1024),
  encodings: key(listOf(oneOf('br', 'gzip')), ['br', 'gzip']),
  brotli_quality: key(intIn(0, 11), 4),
  gzip_level: key(intIn(1, 9), 6),
};

const LOG_KEYS: Readonly<Record<string, Key>> = {
  levels: key(listOf(level), ['info', 'timeout', 'warning', 'error', 'critical']),
  console: key(flag, true),
  pretty: key((v) => (typeof v === 'boolean' || v === 'auto' ? v : UNSURE), 'auto'),
  files: key(emptyList, []),
  scopes: { check: emptyObject, fallback: () => ({}) },
};

/** A plain path (unreserved characters only) or `false`; selectors and the rest are left to zod. */
const healthPath: Check = (v) =>
  v === false || (typeof v === 'string' && /^\/[\w.~/-]*$/.test(v)) ? v : UNSURE;

const HEALTH_KEYS: Readonly<Record<string, Key>> = {
  live: key(healthPath, '/healthz'),
  ready: key(healthPath, '/readyz'),
};

const LIMIT_CHECKS: Readonly<Record<(typeof OVERRIDABLE_LIMITS)[number], Check>> = {
  max_threads: wholeNumber,
  max_threads_per_process: wholeNumber,
  max_connections: wholeNumber,
  max_header_size: wholeNumber,
  max_body_size: wholeNumber,
  max_url_length: wholeNumber,
  keep_alive_timeout: seconds,
  keep_alive_max_requests: wholeNumber,
  header_timeout: seconds,
  body_min_rate_bytes_per_sec: wholeNumber,
  body_idle_timeout: seconds,
  send_timeout: seconds,
  handler_timeout: seconds,
  connection_queue_timeout: seconds,
  ssl_handshake_timeout: seconds,
  stream_max_chunk_size: wholeNumber,
  stream_max_total_bytes: wholeNumber,
  stream_max_duration: seconds,
  stream_idle_timeout: seconds,
  worker_timeout_threshold: seconds,
};

const SERVER_KEYS: Readonly<Record<string, Key>> = {
  ip: key(ip, 'default'),
  port: key(intIn(0, 65_535), 5000),
  queue_size: key(wholeNumber, 32),
  // With TLS the schema checks certificate paths against `host`: left to zod.
  SSL: key((v) => (v === false ? false : UNSURE), false),
  host: key((v) => (typeof v === 'string' ? v : emptyList(v)), ''),
  cert_path: key(text, ''),
  key_path: key(text, ''),
  'https-redirect': key(flag, false),
  'https-redirect-escape-paths': key(listOf(escapePath), []),
  https_port: optional(intIn(1, 65_535)),
  'update-cert-state': key(flag, false),
  proxy_protocol: key(flag, false),
  ...Object.fromEntries(OVERRIDABLE_LIMITS.map((limit) => [limit, optional(LIMIT_CHECKS[limit])])),
};

const GLOBAL_KEYS: Readonly<Record<string, Key>> = {
  runtime_mode: key((v) => (v === 'wsgi' ? 'adapter' : oneOf('socket', 'adapter')(v)), 'socket'),
  dev_mode: key(flag, false),
  handler_placement: key(oneOf('inline', 'pool', 'inline-only'), 'inline'),
  worker_processes: { check: wholeNumber, fallback: () => availableParallelism() },
  // `"auto"` and anything but a plain count are left to zod.
  processes: key((v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : UNSURE), 1),
  drain_delay: key(seconds, 0),
  health: {
    check: (v) => (v === false ? { live: false, ready: false } : section(v, HEALTH_KEYS)),
    fallback: () => section({}, HEALTH_KEYS),
  },
  max_threads: key(wholeNumber, 1024),
  max_threads_per_process: key(wholeNumber, 16),
  max_connections: key(wholeNumber, 16_384),
  connection_queue_size: key(wholeNumber, 1024),
  max_header_size: key(wholeNumber, 16_384),
  max_body_size: key(wholeNumber, 10_485_760),
  max_url_length: key(wholeNumber, 2048),
  keep_alive_timeout: key(seconds, 15),
  keep_alive_max_requests: key(wholeNumber, 100),
  header_timeout: key(seconds, 10),
  body_min_rate_bytes_per_sec: key(wholeNumber, 1024),
  body_idle_timeout: key(seconds, 10),
  send_timeout: key(seconds, 30),
  max_body_buffer_total: key(wholeNumber, 268_435_456),
  handler_timeout: key(seconds, 30),
  connection_queue_timeout: key(seconds, 2),
  ssl_handshake_timeout: key(seconds, 5),
  stream_max_chunk_size: key(wholeNumber, 65_536),
  stream_max_total_bytes: key(wholeNumber, 10_485_760),
  stream_max_duration: key(seconds, 60),
  stream_idle_timeout: key(seconds, 10),
  worker_timeout_threshold: key(seconds, 0.5),
  // A list of trusted addresses is left to zod (its entries are checked there).
  trust_proxy: key((v) => (v === false ? false : UNSURE), false),
  trust_proxy_header: key(oneOf('x-forwarded', 'forwarded'), 'x-forwarded'),
  compression: { check: (v) => section(v, COMPRESSION_KEYS), fallback: () => section({}, COMPRESSION_KEYS) },
  log: { check: (v) => section(v, LOG_KEYS), fallback: () => section({}, LOG_KEYS) },
  server: {
    check: listOf((v) => section(v, SERVER_KEYS)),
    fallback: () => [section({}, SERVER_KEYS)],
  },
};

/** The keys the schema knows, per section: what `findUnknownKeys` compares a config against. */
export const CONFIG_KEYS = Object.freeze({
  global: new Set(Object.keys(GLOBAL_KEYS)),
  server: new Set(Object.keys(SERVER_KEYS)),
  sniHost: new Set(['host', 'cert_path', 'key_path']),
  log: new Set(Object.keys(LOG_KEYS)),
  logFile: new Set(['path', 'levels']),
  compression: new Set(Object.keys(COMPRESSION_KEYS)),
});

function section(
  input: unknown,
  keys: Readonly<Record<string, Key>>,
): Record<string, unknown> | typeof UNSURE {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return UNSURE;
  const source = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name in keys) {
    const { check, fallback } = keys[name] as Key;
    const value = source[name];
    if (value === undefined) {
      // An optional key given as `undefined` is kept by zod; rare enough to leave to it.
      if (name in source) return UNSURE;
      const initial = fallback();
      if (initial !== UNSURE) out[name] = initial;
      continue;
    }
    const checked = check(value);
    if (checked === UNSURE) return UNSURE;
    out[name] = checked;
  }
  return out;
}

/**
 * The config zod would parse `input` to, without loading zod; `null` when this cannot tell
 * (a value it does not check itself, or one the schema rejects): then ask the schema.
 * Unknown keys are dropped, as the schema drops them.
 */
export function parseConfigFast(input: unknown): Config | null {
  const config = section(input, GLOBAL_KEYS);
  return config === UNSURE ? null : (config as unknown as Config);
}

/** The config with every default (what a missing config.json is created with). */
export function defaultConfig(): Config {
  return section({}, GLOBAL_KEYS) as unknown as Config;
}

/** A `server` entry with every default (no limit overrides). */
export function defaultServerConfig(): ServerConfig {
  return section({}, SERVER_KEYS) as unknown as ServerConfig;
}
