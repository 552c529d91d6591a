/**
 * @packageDocumentation
 * config/config.json: the zod schema, file loading (created with defaults when missing),
 * `BBWS_*` environment overrides and per-server limits. See docs/configuration.md.
 */
export {
  type CompressionConfig,
  type Config,
  type ConfigInput,
  configSchemas,
  type LogConfig,
  OVERRIDABLE_LIMITS,
  type OverridableLimit,
  type ServerConfig,
} from './config-schema.js';
export {
  type EffectiveServerConfig,
  effectiveServerConfig,
  effectiveServerConfigs,
} from './effective-server-config.js';
export { CONFIG_FILE_ENV, ENV_PREFIX } from './env-overrides.js';
export {
  type ConfigFileContent,
  defaultConfig,
  loadConfigFile,
  parseConfig,
  readConfigFile,
} from './load-config.js';
export { type ResolveConfigOptions, type ResolvedConfig, resolveConfig } from './resolve-config.js';
