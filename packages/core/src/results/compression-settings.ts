import type { CompressionOptions } from '@bbws/responses';
import type { CompressionConfig } from '../config/config-schema.js';
import type { ResultHooks } from './result-hooks.js';

/**
 * The app's compression settings from its config's `compression` section, built once:
 * `false` when `enabled` is off, so the response writer returns after one comparison.
 * @see docs/responses.md#compression
 */
export function compressionFromConfig(config: CompressionConfig): CompressionOptions | false {
  if (!config.enabled) return false;
  return Object.freeze({
    thresholdBytes: config.min_bytes,
    encodings: Object.freeze([...config.encodings]),
    brotliQuality: config.brotli_quality,
    gzipLevel: config.gzip_level,
  });
}

/**
 * The result hooks of a route marked `{ compress: false }`: the app's, with compression off.
 * Built once per route at start; the app is read through, so its error pages and stream
 * logging still apply.
 */
export function withoutCompression(hooks: ResultHooks): ResultHooks {
  return {
    respondError: (request, sink, error) => hooks.respondError(request, sink, error),
    onStreamEnd: (request, event) => hooks.onStreamEnd?.(request, event),
    compression: false,
  };
}
