/**
 * @packageDocumentation
 * bbwebservice: the one package an app installs. Re-exports the public API of every
 * `@bbws/*` package, plus tsyringe's decorators for services.
 * @example
 * ```ts
 * import { Controller, Get, MIME_TYPE, createApp, singleton } from 'bbwebservice';
 * ```
 */
export * from '@bbws/core';
export * from '@bbws/responses';
export { type Endpoint, joinSelector, parseSelector, RouterError } from '@bbws/router';
export {
  type ByteRangePart,
  ByteReader,
  type ContentRange,
  CookieJar,
  type EndpointOptions,
  override,
  type ProviderOverride,
  parseContentRange,
  type RangeSpec,
  type RawOptions,
  type RawResponse,
  readResponse,
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
  type TestRequest,
  type TestRequestOptions,
  TestResponse,
  TestStreamResponse,
} from '@bbws/testing';
export {
  DuplexPair,
  type HttpRequest,
  HttpServer,
  type ResponseSink,
  TransportError,
  WorkerPoolError,
  type WorkerPoolErrorCode,
} from '@bbws/transport';
export { container, delay, inject, injectable, Lifecycle, scoped, singleton } from 'tsyringe';
