import { BbwsError } from './bbws-error.js';

/**
 * The error table of `@bbws/responses`: every code, the HTTP status the failure stands for when
 * it reaches a client, and what it means (docs/errors.md is generated from it). A code never
 * changes meaning; test codes, not messages. See docs/responses.md#error-codes.
 */
export const RESPONSES_ERRORS = {
  BBWS_ERR_REDIRECT_LOCATION: {
    status: 500,
    meaning: 'a Redirect location with CR, LF, NUL or another control character',
  },
  BBWS_ERR_REDIRECT_STATUS: { status: 500, meaning: 'a Redirect status other than 301, 302, 303, 307, 308' },
  BBWS_ERR_RESPONSE_STATUS: {
    status: 500,
    meaning:
      "a Response status, or a handler's `res.status` (`ResponseHead`), that is not an integer 200..599",
  },
  BBWS_ERR_RESPONSE_HEADER: {
    status: 500,
    meaning:
      'a header name that is not a token, a value with CR/LF/NUL, or a framing header (Content-Length, Transfer-Encoding, Connection, ...), in a Response or set by a handler; nothing is sent',
  },
  BBWS_ERR_RESPONSE_BODY: { status: 500, meaning: 'a body of a type that cannot be sent' },
  BBWS_ERR_COOKIE_INVALID: {
    status: 500,
    meaning: 'a cookie name, value or attribute that cannot be serialised',
  },
  BBWS_ERR_MIME_TYPE_INVALID: { status: 500, meaning: 'a MIME type that is not `type/subtype[; params]`' },
  BBWS_ERR_PATH_REFUSED: {
    status: 403,
    meaning:
      'a file path that would leave the content root (`..`, encoded traversal, NUL, absolute, symlink out)',
  },
  BBWS_ERR_FILE_NOT_FOUND: { status: 404, meaning: 'no such file (or a directory) inside the content root' },
  BBWS_ERR_FILE_TOO_LARGE: { status: 500, meaning: '`loadFile` over its `maxBytes`' },
  BBWS_ERR_FILE_OPTIONS: { status: 500, meaning: 'invalid PartialContent / loadFile options' },
  BBWS_ERR_CONTENT_ROOT: { status: 500, meaning: 'the content root does not exist or is not a directory' },
  BBWS_ERR_SSE_FIELD: { status: 500, meaning: 'an SSE `event` or `id` with CR or LF' },
  BBWS_ERR_STREAM_OPTIONS: { status: 500, meaning: 'invalid StreamResponse options or limits' },
  BBWS_ERR_STREAM_CHUNK: {
    status: 500,
    meaning: 'a stream produced something that is not a string or bytes',
  },
  BBWS_ERR_STREAM_BEHIND: {
    status: 500,
    meaning: 'an SseChannel subscriber read by pulling fell more than `maxBufferedBytes` behind',
  },
} as const;

/** Stable codes of `@bbws/responses` errors: the keys of {@link RESPONSES_ERRORS}. */
export type ResponsesErrorCode = keyof typeof RESPONSES_ERRORS;

/**
 * A failure of the response helpers with a stable `code`. `status` is the HTTP status the
 * failure stands for when it reaches a client (403 for a refused path, 404 for a missing file,
 * 500 for programming errors).
 */
export class ResponsesError extends BbwsError {
  override readonly name: string = 'ResponsesError';
  declare readonly code: ResponsesErrorCode;
  readonly status: number;

  constructor(code: ResponsesErrorCode, message: string, status = 500, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
  }
}
