/**
 * @packageDocumentation
 * `@bbws/testing`: unit-test controllers through the in-memory transport. See docs/testing.md.
 */

export { ByteReader, type RawResponse, readResponse } from './response-reader.js';
export { type RawOptions, TestClient, type TestRequest, type TestRequestOptions } from './test-client.js';
export { TestResponse } from './test-response.js';
