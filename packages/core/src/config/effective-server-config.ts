import { CoreError } from '../errors.js';
import {
  type Config,
  OVERRIDABLE_LIMITS,
  type OverridableLimit,
  type ServerConfig,
} from './config-schema.js';

/** A server entry with every overridable limit filled in: its own value, else the global one. */
export type EffectiveServerConfig = Omit<ServerConfig, OverridableLimit> & {
  readonly [K in OverridableLimit]-?: Config[K];
};

/**
 * Server entry `index` with every limit it does not set taken from the global config: what
 * the listener of that entry enforces. For `max_threads` and `max_connections` the global
 * value is also a cap over all servers together; that sum is the transport's to enforce.
 * @throws CoreError `BBWS_ERR_CONFIG_INVALID` when there is no entry `index`
 * @see docs/configuration.md
 */
export function effectiveServerConfig(config: Config, index: number): EffectiveServerConfig {
  const server = config.server[index];
  if (server === undefined) {
    throw new CoreError(
      'BBWS_ERR_CONFIG_INVALID',
      `server[${index}]: no such entry (the config has ${config.server.length})`,
    );
  }
  const filled: Record<string, unknown> = { ...server };
  for (const key of OVERRIDABLE_LIMITS) filled[key] = server[key] ?? config[key];
  return filled as EffectiveServerConfig;
}

/** {@link effectiveServerConfig} for every server entry, in order. */
export function effectiveServerConfigs(config: Config): EffectiveServerConfig[] {
  return config.server.map((_, index) => effectiveServerConfig(config, index));
}
