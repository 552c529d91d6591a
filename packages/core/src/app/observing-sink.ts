import type { HttpRequest, ResponseSink } from '@bbws/transport';

/**
 * Told about every answered request once its head is handed to the transport: the status and
 * the time since routing began. Registered with `app.onResponse()`. @see docs/controllers.md
 */
export type ResponseListener = (request: HttpRequest, status: number, durationMs: number) => void;

/** Tells response listeners what was answered; wraps the sink only while listeners exist. */
export class ObservingSink implements ResponseSink {
  readonly #inner: ResponseSink;
  readonly #listeners: readonly ResponseListener[];
  readonly #request: HttpRequest;
  readonly #onListenerError: (error: unknown) => void;
  readonly #startedAt = performance.now();

  constructor(
    inner: ResponseSink,
    listeners: readonly ResponseListener[],
    request: HttpRequest,
    onListenerError: (error: unknown) => void,
  ) {
    this.#inner = inner;
    this.#listeners = listeners;
    this.#request = request;
    this.#onListenerError = onListenerError;
  }

  send(status: number, headerLines: string, body: Uint8Array | string | null): void {
    this.#inner.send(status, headerLines, body);
    this.#tell(status);
  }

  stream(status: number, headerLines: string, chunks: AsyncIterable<Uint8Array | string>): Promise<void> {
    const done = this.#inner.stream(status, headerLines, chunks);
    this.#tell(status);
    return done;
  }

  streamFixed(
    status: number,
    headerLines: string,
    length: number,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<void> {
    const done = this.#inner.streamFixed(status, headerLines, length, chunks);
    this.#tell(status);
    return done;
  }

  #tell(status: number): void {
    const durationMs = performance.now() - this.#startedAt;
    for (const listener of this.#listeners) {
      try {
        listener(this.#request, status, durationMs);
      } catch (error) {
        // A listener's failure must not turn an answered request into an error.
        this.#onListenerError(error);
      }
    }
  }
}
