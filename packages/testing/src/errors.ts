import { BbwsError } from '@bbws/router';

/** The testing package's error table (docs/errors.md is generated from it); see docs/testing.md. */
export const TESTING_ERRORS = {
  BBWS_ERR_TESTING_REQUEST_HEADER: 'a request header the client cannot send (not a token, CR/LF)',
  BBWS_ERR_TESTING_REQUEST_BODY: 'more than one body option, or a body the client cannot encode',
  BBWS_ERR_TESTING_REQUEST_TARGET: 'a path that is not origin-form',
  BBWS_ERR_TESTING_REQUEST_METHOD: 'a method that is not a token',
  BBWS_ERR_TESTING_RESPONSE_MALFORMED:
    "the server's response is not valid HTTP/1.1 (the strict reader caught it)",
  BBWS_ERR_TESTING_CONNECTION_CLOSED: 'the connection closed before a whole response',
  BBWS_ERR_TESTING_BODY_USED: 'a streamed body read twice',
  BBWS_ERR_TESTING_NOT_JSON: '`json()` on a body that is not JSON',
  BBWS_ERR_TESTING_NOT_EVENT_STREAM: '`sse()` on a response that is not `text/event-stream`',
  BBWS_ERR_TESTING_NOT_BYTERANGES: '`byteRanges()` on a response that is not `multipart/byteranges`',
  BBWS_ERR_TESTING_NO_APP: '`controller()` / `resolve()` on a client built from a bare server',
} as const;

/** Stable codes of the testing package's errors: the keys of {@link TESTING_ERRORS}. */
export type TestingErrorCode = keyof typeof TESTING_ERRORS;

/**
 * A failure of the test client with a stable `code`: a request it refuses to write, or a
 * response it could not read (which usually means the server wrote something wrong).
 */
export class TestingError extends BbwsError {
  override readonly name: string = 'TestingError';
  declare readonly code: TestingErrorCode;
  constructor(code: TestingErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
