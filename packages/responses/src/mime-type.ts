/**
 * Content types a route can declare with `{ type: MIME_TYPE.X }`. `DYNAMIC` defers the
 * Content-Type to the returned object (Response, Dynamic, StreamResponse).
 */
export const MIME_TYPE = Object.freeze({
  TEXT: 'text/plain; charset=utf-8',
  HTML: 'text/html; charset=utf-8',
  JSON: 'application/json; charset=utf-8',
  CSS: 'text/css; charset=utf-8',
  JS: 'text/javascript; charset=utf-8',
  XML: 'application/xml; charset=utf-8',
  SVG: 'image/svg+xml',
  PNG: 'image/png',
  JPEG: 'image/jpeg',
  GIF: 'image/gif',
  WEBP: 'image/webp',
  ICO: 'image/x-icon',
  MP4: 'video/mp4',
  WEBM: 'video/webm',
  MP3: 'audio/mpeg',
  PDF: 'application/pdf',
  ZIP: 'application/zip',
  WASM: 'application/wasm',
  BINARY: 'application/octet-stream',
  EVENT_STREAM: 'text/event-stream',
  DYNAMIC: 'dynamic',
} as const);

/** One of the {@link MIME_TYPE} values, or any content type string. */
export type MimeType = (typeof MIME_TYPE)[keyof typeof MIME_TYPE] | (string & {});
