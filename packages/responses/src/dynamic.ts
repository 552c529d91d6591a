import { contentTypeLineOf } from './internal/header-field.js';

/**
 * Content whose MIME type the handler picks at run time (routes typed `MIME_TYPE.DYNAMIC`).
 * @throws ResponsesError `BBWS_ERR_MIME_TYPE_INVALID` when the type holds CR, LF or NUL
 * @see docs/responses.md#dynamic-mime-types
 */
export class Dynamic {
  readonly content: string | Uint8Array;
  readonly mimeType: string;
  /** The validated `Content-Type: ...\r\n` line. */
  readonly typeLine: string;

  constructor(content: string | Uint8Array, mimeType: string) {
    this.typeLine = contentTypeLineOf(mimeType);
    this.content = content;
    this.mimeType = mimeType;
  }
}
