import type { CompressionOptions, StreamEndEvent } from '@bbws/responses';
import type { HttpRequest, ResponseSink } from '@bbws/transport';

/**
 * What the response writer asks of the app. The App's error responder already has
 * `respondError`; the optional members let it connect stream logging and compression
 * settings without changing the call site.
 */
export interface ResultHooks {
  /** Answers a failure that happened after the handler returned (a missing file: HttpError 404). */
  respondError(request: HttpRequest, sink: ResponseSink, error: unknown): void;
  /**
   * Called once per streamed body when it ends: `reason` is `complete`, a limit
   * (`max-total-bytes`, `max-duration`, `idle-timeout`, `max-buffered-bytes`), `closed` (client gone, HEAD) or
   * `error`. Connect the logger here (limits at warn, the rest at debug).
   */
  onStreamEnd?(request: HttpRequest, event: StreamEndEvent): void;
  /** Compression of ordinary bodies; `false` switches it off (default: on, 1 KiB threshold, br and gzip). */
  readonly compression?: CompressionOptions | false;
}
