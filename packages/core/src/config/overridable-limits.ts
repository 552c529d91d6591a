/**
 * The limits a `server` entry may override, in documentation order. Absent on a server entry
 * means "the global value"; `effectiveServerConfig` fills them in.
 */
export const OVERRIDABLE_LIMITS = [
  'max_threads',
  'max_threads_per_process',
  'max_connections',
  'max_header_size',
  'max_body_size',
  'max_url_length',
  'keep_alive_timeout',
  'keep_alive_max_requests',
  'header_timeout',
  'body_min_rate_bytes_per_sec',
  'body_idle_timeout',
  'send_timeout',
  'handler_timeout',
  'connection_queue_timeout',
  'ssl_handshake_timeout',
  'stream_max_chunk_size',
  'stream_max_total_bytes',
  'stream_max_duration',
  'stream_idle_timeout',
  'worker_timeout_threshold',
] as const;

/** Names of the limits a server entry may override. */
export type OverridableLimit = (typeof OVERRIDABLE_LIMITS)[number];
