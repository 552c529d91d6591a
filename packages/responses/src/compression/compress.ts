import type * as Zlib from 'node:zlib';
import type { ContentCoding } from './content-coding.js';

/** node:zlib, loaded with the first body compressed, not at start (docs/architecture.md). */
let zlib: typeof Zlib | null = null;

/** Settings of response compression. */
export interface CompressionOptions {
  /** Bodies shorter than this many bytes go out as they are (default 1024). */
  readonly thresholdBytes?: number;
  /** Codings offered, in order of preference on equal q (default `['br', 'gzip']`). */
  readonly encodings?: readonly ContentCoding[];
  /** Brotli quality 0..11 (default 4: near gzip's speed, smaller output). */
  readonly brotliQuality?: number;
  /** gzip level 1..9 (default 6). */
  readonly gzipLevel?: number;
}

/** Defaults of {@link CompressionOptions}. */
export const DEFAULT_COMPRESSION: Required<CompressionOptions> = Object.freeze({
  thresholdBytes: 1024,
  encodings: Object.freeze(['br', 'gzip'] as const),
  brotliQuality: 4,
  gzipLevel: 6,
});

/**
 * Compresses a body off the main thread (zlib's thread pool).
 * @throws the zlib error, for the caller to fall back to the identity body
 */
export async function compressBody(
  body: Uint8Array,
  coding: ContentCoding,
  options: CompressionOptions = DEFAULT_COMPRESSION,
): Promise<Buffer> {
  zlib ??= await import('node:zlib');
  const { brotliCompress, constants, gzip } = zlib;
  return new Promise<Buffer>((resolve, reject) => {
    const done = (error: Error | null, result: Buffer) => (error === null ? resolve(result) : reject(error));
    if (coding === 'br') {
      brotliCompress(
        body,
        {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: options.brotliQuality ?? DEFAULT_COMPRESSION.brotliQuality,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
          },
        },
        done,
      );
    } else {
      gzip(body, { level: options.gzipLevel ?? DEFAULT_COMPRESSION.gzipLevel }, done);
    }
  });
}
