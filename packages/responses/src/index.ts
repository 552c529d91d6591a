/**
 * @packageDocumentation
 * `@bbws/responses`: what a handler can return (Response, Redirect, Dynamic, ...) and the MIME
 * type table. Imports nothing of ours. See docs/responses.md.
 */
export { Dynamic } from './dynamic.js';
export { MIME_TYPE, type MimeType } from './mime-type.js';
export { Redirect, type RedirectStatus } from './redirect.js';
export { type HeaderInit, Response, type ResponseInit } from './response.js';
