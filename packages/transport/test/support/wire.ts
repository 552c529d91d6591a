/** Response reading for tests, from @bbws/testing's wire reader (one import path to keep current). */
export { ByteReader } from '../../../testing/src/wire/byte-reader.js';
export { type RawResponse, readResponse } from '../../../testing/src/wire/read-response.js';
