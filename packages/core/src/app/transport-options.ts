import type { HttpServerOptions, RequestHandler } from '@bbws/transport';
import type { Config } from '../config/config-schema.js';

/** Maps the validated config (seed key names, seconds) onto the transport's options (ms, camelCase). */
export function transportOptionsFromConfig(config: Config, handler: RequestHandler): HttpServerOptions {
  return {
    handler,
    listeners: config.server.map((s) => ({ ip: s.ip, port: s.port })),
    limits: {
      maxHeaderBytes: config.max_header_size,
      maxBodyBytes: config.max_body_size,
      keepAliveTimeoutMs: config.keep_alive_timeout * 1000,
      keepAliveMaxRequests: config.keep_alive_max_requests,
      streamLimits: Object.freeze({
        maxChunkBytes: config.stream_max_chunk_size,
        maxTotalBytes: config.stream_max_total_bytes,
        maxDurationMs: config.stream_max_duration * 1000,
        idleTimeoutMs: config.stream_idle_timeout * 1000,
      }),
    },
  };
}
