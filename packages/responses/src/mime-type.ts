import { createRequire } from 'node:module';
import type * as MimeTypes from 'mime-types';

// mime-types parses mime-db's table (a 200 KB JSON file) when it loads: done on the first file
// answer, not at start (docs/architecture.md, "What start loads").
let mimeTypes: typeof MimeTypes | null = null;

/**
 * Content types a route can declare with `{ type: MIME_TYPE.X }`. Text types carry
 * `charset=utf-8`, since handlers return JavaScript strings and we encode them as UTF-8.
 *
 * `DYNAMIC` is not a type: it tells the route to take the Content-Type from what the handler
 * returns (`Response` with `mimeType`, `Dynamic`, `StreamResponse` with `mimeType`, a file's
 * extension for `PartialContent`). A plain string then goes out as TEXT, bytes as BINARY and
 * an object as JSON.
 * @see docs/responses.md#mime-types
 */
export const MIME_TYPE = Object.freeze({
  // text
  TEXT: 'text/plain; charset=utf-8',
  HTML: 'text/html; charset=utf-8',
  CSS: 'text/css; charset=utf-8',
  CSV: 'text/csv; charset=utf-8',
  MARKDOWN: 'text/markdown; charset=utf-8',
  XML: 'application/xml; charset=utf-8',
  EVENT_STREAM: 'text/event-stream',
  // scripts and data
  JS: 'text/javascript; charset=utf-8',
  JAVASCRIPT: 'text/javascript; charset=utf-8',
  JSON: 'application/json; charset=utf-8',
  NDJSON: 'application/x-ndjson',
  YAML: 'application/yaml',
  MANIFEST: 'application/manifest+json',
  FORM: 'application/x-www-form-urlencoded',
  WASM: 'application/wasm',
  // images
  PNG: 'image/png',
  JPEG: 'image/jpeg',
  JPG: 'image/jpeg',
  GIF: 'image/gif',
  WEBP: 'image/webp',
  AVIF: 'image/avif',
  SVG: 'image/svg+xml',
  ICO: 'image/x-icon',
  BMP: 'image/bmp',
  // audio and video
  MP4: 'video/mp4',
  WEBM: 'video/webm',
  OGV: 'video/ogg',
  MOV: 'video/quicktime',
  MP3: 'audio/mpeg',
  OGG: 'audio/ogg',
  WAV: 'audio/wav',
  FLAC: 'audio/flac',
  AAC: 'audio/aac',
  // fonts
  WOFF: 'font/woff',
  WOFF2: 'font/woff2',
  TTF: 'font/ttf',
  OTF: 'font/otf',
  // documents and archives
  PDF: 'application/pdf',
  ZIP: 'application/zip',
  GZIP: 'application/gzip',
  TAR: 'application/x-tar',
  SEVEN_ZIP: 'application/x-7z-compressed',
  BINARY: 'application/octet-stream',
  /** Content-Type comes from the returned object (see above). */
  DYNAMIC: 'dynamic',
} as const);

/** One of the {@link MIME_TYPE} values, or any content type string. */
export type MimeType = (typeof MIME_TYPE)[keyof typeof MIME_TYPE] | (string & {});

/**
 * The Content-Type for a file name by its extension (text types with `charset=utf-8`), or
 * `null` when the extension is unknown.
 * @example `mimeTypeForPath('movie.mp4') === 'video/mp4'`
 */
export function mimeTypeForPath(path: string): string | null {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return null;
  mimeTypes ??= createRequire(import.meta.url)('mime-types') as typeof MimeTypes;
  const type = mimeTypes.contentType(path.slice(dot));
  return type === false ? null : type;
}
