/**
 * @packageDocumentation
 * `bbwebservice/testing`: the test client, for tests only. Requests run through the same
 * parser, router, handlers and response writer as a socket, without a port. Kept out of the
 * main entry so a production import never loads it (nor its SSE parser). See docs/testing.md.
 * @example
 * ```ts
 * import { TestClient } from 'bbwebservice/testing';
 * ```
 */
export {
  type ByteRangePart,
  type ClassOf,
  type ContentRange,
  CookieJar,
  type CookieScope,
  type EndpointOptions,
  type FormInit,
  type HeadersInit,
  type MultipartFile,
  type MultipartInit,
  type MultipartValue,
  override,
  type ProviderOverride,
  parseContentRange,
  type QueryInit,
  type QueryValue,
  type RangeSpec,
  type RawOptions,
  type RawResponse,
  ResponseHeadView,
  type ServeTarget,
  type SseMessage,
  type SseOptions,
  type StoredCookie,
  type StreamRequestOptions,
  TestClient,
  type TestClientCreateOptions,
  type TestClientOptions,
  TestConnection,
  TestingError,
  type TestingErrorCode,
  type TestRequest,
  type TestRequestOptions,
  TestResponse,
  TestStreamResponse,
  type TlsInit,
} from '@bbws/testing';
