/** Types that are compressed formats already, or that must flush per event (SSE). */
const NEVER =
  /^(text\/event-stream|application\/(x-ndjson|zip|gzip|x-gzip|x-bzip2|x-7z-compressed|x-rar-compressed|x-xz|zstd|pdf|octet-stream|wasm-compressed))\b/;
const TEXTUAL =
  /^(text\/|application\/([\w.-]+\+)?(json|xml|javascript|ecmascript|x-javascript|yaml|x-yaml|x-www-form-urlencoded|graphql|wasm|manifest\+json)\b|image\/(svg\+xml|bmp|x-icon|vnd\.microsoft\.icon)\b|font\/(ttf|otf)\b)/;
/** `+json` / `+xml` structured syntax suffixes (RFC 6839). */
const SUFFIX = /^application\/[\w.-]+\+(json|xml)\b/;

/**
 * Whether a Content-Type is worth compressing: text, JSON, XML, JavaScript, SVG and similar.
 * Images, audio, video, archives and fonts already compressed (woff, woff2) are not; neither is
 * `text/event-stream`, whose events must reach the client as they are written, nor NDJSON.
 */
export function isCompressibleType(contentType: string): boolean {
  const type = contentType.trimStart().toLowerCase();
  if (NEVER.test(type)) return false;
  return TEXTUAL.test(type) || SUFFIX.test(type);
}
