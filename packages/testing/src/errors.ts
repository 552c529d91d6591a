/** Stable codes of the testing package's errors; see docs/testing.md. */
export type TestingErrorCode =
  | 'BBWS_ERR_TESTING_REQUEST_HEADER'
  | 'BBWS_ERR_TESTING_REQUEST_BODY'
  | 'BBWS_ERR_TESTING_REQUEST_TARGET'
  | 'BBWS_ERR_TESTING_REQUEST_METHOD'
  | 'BBWS_ERR_TESTING_RESPONSE_MALFORMED'
  | 'BBWS_ERR_TESTING_CONNECTION_CLOSED'
  | 'BBWS_ERR_TESTING_BODY_USED'
  | 'BBWS_ERR_TESTING_NOT_JSON'
  | 'BBWS_ERR_TESTING_NOT_EVENT_STREAM'
  | 'BBWS_ERR_TESTING_NOT_BYTERANGES'
  | 'BBWS_ERR_TESTING_NO_APP';

/**
 * A failure of the test client with a stable `code`: a request it refuses to write, or a
 * response it could not read (which usually means the server wrote something wrong).
 */
export class TestingError extends Error {
  override readonly name = 'TestingError';
  readonly code: TestingErrorCode;
  constructor(code: TestingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
