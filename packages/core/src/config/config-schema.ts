import { z } from 'zod';

const seconds = z.number().nonnegative();
const count = z.number().int().nonnegative();

/** Limits that a server entry may override. */
const overridable = {
  max_threads: count.optional(),
  max_threads_per_process: count.optional(),
  max_header_size: count.optional(),
  max_body_size: count.optional(),
  max_url_length: count.optional(),
  keep_alive_timeout: seconds.optional(),
  keep_alive_max_requests: count.optional(),
  header_timeout: seconds.optional(),
  body_min_rate_bytes_per_sec: count.optional(),
  handler_timeout: seconds.optional(),
  connection_queue_timeout: seconds.optional(),
  ssl_handshake_timeout: seconds.optional(),
  stream_max_chunk_size: count.optional(),
  stream_max_total_bytes: count.optional(),
  stream_max_duration: seconds.optional(),
  stream_idle_timeout: seconds.optional(),
  worker_timeout_threshold: z.number().nonnegative().optional(),
};

const sniHost = z.strictObject({
  host: z.string().min(1),
  cert_path: z.string().min(1),
  key_path: z.string().min(1),
});

/** One `server` entry: a listener and its overrides. */
export const serverSchema = z.looseObject({
  ip: z.string().default('default'),
  port: z.number().int().min(0).max(65_535).default(5000),
  queue_size: count.default(32),
  SSL: z.boolean().default(false),
  host: z.union([z.string(), z.array(sniHost)]).default(''),
  cert_path: z.string().default(''),
  key_path: z.string().default(''),
  'https-redirect': z.boolean().default(false),
  'https-redirect-escape-paths': z.array(z.string()).default([]),
  'update-cert-state': z.boolean().default(false),
  ...overridable,
});

/**
 * config/config.json. Every key of the Python bbwebservice 3.2 config is accepted with the
 * same meaning; see docs/configuration.md for each key and its default.
 */
export const configSchema = z.looseObject({
  runtime_mode: z.enum(['socket', 'adapter', 'wsgi']).default('socket'),
  max_threads: count.default(100),
  max_threads_per_process: count.default(16),
  max_header_size: count.default(16_384),
  max_body_size: count.default(10_485_760),
  max_url_length: count.default(2048),
  keep_alive_timeout: seconds.default(15),
  keep_alive_max_requests: count.default(100),
  header_timeout: seconds.default(10),
  body_min_rate_bytes_per_sec: count.default(1024),
  handler_timeout: seconds.default(30),
  stream_max_chunk_size: count.default(65_536),
  stream_max_total_bytes: count.default(10_485_760),
  stream_max_duration: seconds.default(60),
  stream_idle_timeout: seconds.default(10),
  connection_queue_timeout: seconds.default(2),
  ssl_handshake_timeout: seconds.default(5),
  worker_processes: count.default(4),
  worker_timeout_threshold: z.number().nonnegative().default(0),
  server: z.array(serverSchema).default([{ ip: 'default', port: 5000 } as never]),
});

/** The validated configuration, defaults filled in. */
export type Config = z.infer<typeof configSchema>;
/** One validated server entry. */
export type ServerConfig = z.infer<typeof serverSchema>;
/** What a user may write in config.json (every key optional). */
export type ConfigInput = z.input<typeof configSchema>;
