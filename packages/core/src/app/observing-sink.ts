import type { HttpRequest, ResponseSink } from '@bbws/transport';
import { SinkDecorator } from './sink-decorator.js';

/**
 * Told about every answered request once its head is handed to the transport: the status and
 * the time since routing began. Registered with `app.onResponse()`. @see docs/controllers.md
 */
export type ResponseListener = (request: HttpRequest, status: number, durationMs: number) => void;

/** Tells response listeners what was answered; wraps the sink only while listeners exist. */
export class ObservingSink extends SinkDecorator {
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
    super(inner);
    this.#listeners = listeners;
    this.#request = request;
    this.#onListenerError = onListenerError;
  }

  protected override afterHead(status: number): void {
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
