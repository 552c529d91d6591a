/**
 * Stable codes of `@bbws/responses` errors; see docs/responses.md#error-codes. A code never
 * changes meaning; test codes, not messages.
 */
export type ResponsesErrorCode =
  /** A Redirect location holds a control character (CR, LF, NUL, ...) or is not a string. */
  | 'BBWS_ERR_REDIRECT_LOCATION'
  /** A Redirect status is not 301, 302, 303, 307 or 308. */
  | 'BBWS_ERR_REDIRECT_STATUS'
  /** A Response status is not an integer in 200..599. */
  | 'BBWS_ERR_RESPONSE_STATUS'
  /** A header name is not a token, its value holds a control character, or it is a framing header. */
  | 'BBWS_ERR_RESPONSE_HEADER'
  /** A cookie name, value or attribute cannot be serialised. */
  | 'BBWS_ERR_COOKIE_INVALID'
  /** A MIME type holds characters a Content-Type field cannot carry. */
  | 'BBWS_ERR_MIME_TYPE_INVALID'
  /** A file path tries to leave its content root (`..`, encoded separators, NUL, symlinks). */
  | 'BBWS_ERR_PATH_REFUSED'
  /** A file does not exist, is not a regular file, or cannot be read. */
  | 'BBWS_ERR_FILE_NOT_FOUND'
  /** A file is larger than `loadFile`'s `maxBytes`. */
  | 'BBWS_ERR_FILE_TOO_LARGE'
  /** PartialContent or loadFile options are invalid (chunkSize, defaultSize, maxRanges, maxBytes). */
  | 'BBWS_ERR_FILE_OPTIONS'
  /** The content root itself does not exist or is not a directory. */
  | 'BBWS_ERR_CONTENT_ROOT'
  /** An SSE field would break the event framing (CR or LF in `event`/`id`, a bad `retry`). */
  | 'BBWS_ERR_SSE_FIELD'
  /** StreamResponse options are invalid, or the stream was written twice. */
  | 'BBWS_ERR_STREAM_OPTIONS'
  /** A handler returned a value with no JSON form (a function, a symbol). */
  | 'BBWS_ERR_RESPONSE_BODY'
  /** A stream source yielded something other than a string or bytes. */
  | 'BBWS_ERR_STREAM_CHUNK';

/**
 * A failure of the response helpers with a stable `code`. `status` is the HTTP status the
 * failure stands for when it reaches a client (403 for a refused path, 404 for a missing file,
 * 500 for programming errors).
 */
export class ResponsesError extends Error {
  override readonly name = 'ResponsesError';
  readonly code: ResponsesErrorCode;
  readonly status: number;

  constructor(code: ResponsesErrorCode, message: string, status = 500, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = status;
  }
}
