/**
 * @packageDocumentation
 * `@bbws/responses`: what a handler can return (Response, Redirect, Dynamic, PartialContent,
 * StreamResponse with SseEvent), the MIME type table, the content root that keeps file paths
 * inside it, and the pieces the response writer uses (range parsing, compression choice).
 * Imports nothing of ours. See docs/responses.md.
 */

export { type CompressionOptions, compressBody, DEFAULT_COMPRESSION } from './compression/compress.js';
export { isCompressibleType } from './compression/compressible.js';
export { type ContentCoding, negotiateEncoding } from './compression/content-coding.js';
export { Dynamic } from './dynamic.js';
export { ResponsesError, type ResponsesErrorCode } from './errors.js';
export { type ByteRange, mergeRanges, parseByteRanges, type RangeRequest } from './files/byte-ranges.js';
export { ContentRoot, contentRoot, type OpenedFile } from './files/content-root.js';
export { FileChunks, type FileSegment } from './files/file-chunks.js';
export {
  type FileAnswer,
  type FileRequest,
  loadFile,
  PartialContent,
  type PartialContentInit,
} from './files/partial-content.js';
export {
  type ConditionalHeaders,
  evaluatePreconditions,
  type FileValidators,
  fileValidators,
  ifRangeMatches,
} from './files/validators.js';
export { checkFinalStatus, isFinalStatus } from './final-status.js';
export { MIME_TYPE, type MimeType, mimeTypeForPath } from './mime-type.js';
export { Redirect, type RedirectStatus } from './redirect.js';
export { type CookieInit, type HeaderInit, Response, type ResponseInit } from './response.js';
export { SseChannel, type SseChannelOptions, type SseSubscribeInit } from './sse/sse-channel.js';
export { SseEvent, type SseEventOptions } from './sse/sse-event.js';
export { LimitedStream, type LimitedStreamOptions, type StreamSource } from './stream/limited-stream.js';
export {
  type BodyWriter,
  isPushBody,
  isPushSource,
  PUSH_BODY,
  PUSH_SOURCE,
  type PushBody,
  type PushSource,
  type PushTarget,
} from './stream/push-body.js';
export {
  DEFAULT_STREAM_LIMITS,
  isLimitReason,
  type StreamEndEvent,
  type StreamEndReason,
  type StreamLimits,
} from './stream/stream-limits.js';
export { type StreamOpenOptions, StreamResponse, type StreamResponseInit } from './stream/stream-response.js';
