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
  ByteReader,
  CookieJar,
  type ContentRange,
  override,
  parseContentRange,
  type ProviderOverride,
  type RawResponse,
  readResponse,
  type SseMessage,
  TestClient,
  type TestClientCreateOptions,
  type TestClientOptions,
  TestingError,
  type TestRequest,
  type TestRequestOptions,
  TestResponse,
  TestStreamResponse,
} from '@bbws/testing';
export { DuplexPair, HttpServer, type HttpRequest, type ResponseSink, TransportError } from '@bbws/transport';
export { container, delay, inject, injectable, Lifecycle, scoped, singleton } from 'tsyringe';
