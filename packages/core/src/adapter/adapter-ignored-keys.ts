import { defaultConfig } from '../config/config-fast-path.js';
import type { Config } from '../config/config-schema.js';

/**
 * Config keys the adapter runtime does not use: they configure our listeners and connections,
 * which the host server replaces. docs/adapter-runtime.md lists the same keys (a test compares).
 */
export const ADAPTER_IGNORED_KEYS = [
  'server',
  'max_threads',
  'max_connections',
  'connection_queue_size',
  'connection_queue_timeout',
  'max_header_size',
  'max_url_length',
  'keep_alive_timeout',
  'keep_alive_max_requests',
  'header_timeout',
  'body_min_rate_bytes_per_sec',
  'body_idle_timeout',
  'send_timeout',
  'max_body_buffer_total',
  'ssl_handshake_timeout',
  'processes',
] as const satisfies readonly (keyof Config)[];

let defaults: Config | null = null;

/** The ignored keys `config` sets to something other than the default: what init() warns about. */
export function ignoredInAdapterMode(config: Config): string[] {
  defaults ??= defaultConfig();
  const base = defaults;
  return ADAPTER_IGNORED_KEYS.filter((key) => JSON.stringify(config[key]) !== JSON.stringify(base[key]));
}
