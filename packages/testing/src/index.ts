/**
 * @packageDocumentation
 * `@bbws/testing`: unit-test controllers through the in-memory transport. Requests run
 * through the same parser, router, handlers and response writer as a socket, without a port.
 * See docs/testing.md.
 */

export {
  type RawOptions,
  type StreamRequestOptions,
  TestClient,
  type TestClientCreateOptions,
  type TestClientOptions,
} from './client/test-client.js';
export { type ServeTarget, TestConnection } from './client/test-connection.js';
export { CookieJar, type CookieScope, type StoredCookie } from './cookies/cookie-jar.js';
export { TestingError, type TestingErrorCode } from './errors.js';
export { type ClassOf, override, type ProviderOverride } from './overrides/override.js';
export { type EncodedMultipart, encodeMultipart } from './request/multipart.js';
export type {
  EndpointOptions,
  FormInit,
  HeadersInit,
  MultipartFile,
  MultipartInit,
  MultipartValue,
  QueryInit,
  QueryValue,
  RangeSpec,
  TestRequest,
  TestRequestOptions,
  TlsInit,
} from './request/test-request.js';
export { type ByteRangePart, type ContentRange, parseContentRange } from './response/content-range.js';
export type { SseMessage, SseOptions } from './response/event-stream.js';
export { ResponseHeadView } from './response/response-head-view.js';
export { TestResponse } from './response/test-response.js';
export { TestStreamResponse } from './response/test-stream-response.js';
export { ByteReader } from './wire/byte-reader.js';
export {
  type BodyFraming,
  bodyFraming,
  type HeaderList,
  type RawResponse,
  type ResponseHead,
  readBody,
  readResponse,
  readResponseHead,
} from './wire/read-response.js';
