import { Readable } from 'node:stream';

/**
 * The body of a request whose route streams it (`HttpRequest.bodyStream`): the bytes as they
 * arrive, with backpressure. When the reader falls behind (the stream's buffer is over its
 * high-water mark), the connection stops reading the socket, so the client waits in its own
 * send buffer and the server holds at most about one high-water mark plus one socket read per
 * upload, whatever the body's size. It errors when the client leaves or the body is malformed.
 * @see docs/architecture.md
 */
export class RequestBodyStream extends Readable {
  readonly #onWant: () => void;

  /** @param onWant called when the reader wants more bytes: the connection resumes reading */
  constructor(onWant: () => void, highWaterMarkBytes = 65_536) {
    super({ highWaterMark: highWaterMarkBytes });
    this.#onWant = onWant;
  }

  override _read(): void {
    this.#onWant();
  }

  /**
   * Ends the stream early: with `error` when somebody listens for it (a stream nobody reads
   * must not turn the client's departure into an uncaught exception), else quietly.
   */
  abort(error: Error): void {
    if (this.destroyed || this.readableEnded) return;
    this.destroy(this.listenerCount('error') > 0 ? error : undefined);
  }
}
