import type { ResponseSink } from '@bbws/transport';

const TEXT_LINE = 'Content-Type: text/plain; charset=utf-8\r\n';

/** What a handler produced, as an adapter sees it. */
export interface CollectedResponse {
  readonly status: number;
  /** Header fields in order, names as written. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** A whole body, a stream of chunks, or nothing. */
  readonly body: Uint8Array | string | AsyncIterable<Uint8Array | string> | null;
}

/**
 * A ResponseSink that hands the response to an adapter instead of writing HTTP/1.1 bytes.
 * Framing headers (Content-Length, Transfer-Encoding, Connection, Date) are the host server's
 * job in adapter mode, so none are added here.
 */
export class CollectingSink implements ResponseSink {
  readonly #resolve: (response: CollectedResponse) => void;
  #isDone = false;
  #timer: NodeJS.Timeout | null = null;

  /**
   * @param resolve receives the response (once)
   * @param handlerTimeoutMs `handler_timeout`: no answer by then answers 504, as the transport
   *   does; a late answer is dropped. 0 disables. One timer per request: the host owns the
   *   connections, so there is no per-server sweep to join.
   */
  constructor(resolve: (response: CollectedResponse) => void, handlerTimeoutMs = 0) {
    this.#resolve = resolve;
    if (handlerTimeoutMs > 0) {
      this.#timer = setTimeout(() => this.#finish(504, TEXT_LINE, 'Gateway Timeout'), handlerTimeoutMs);
      this.#timer.unref();
    }
  }

  send(status: number, headerLines: string, body: Uint8Array | string | null): void {
    this.#finish(status, headerLines, body);
  }

  /**
   * Hands the chunks to the adapter; settles when the adapter has read them to the end or
   * stopped reading (as the transport's does when the body is written), not when they were
   * handed over: a caller that stops its source once the sink is done (an offloaded route's
   * worker stream) must not stop it before the host read it.
   */
  stream(status: number, headerLines: string, chunks: AsyncIterable<Uint8Array | string>): Promise<void> {
    if (this.#isDone) {
      this.#finish(status, headerLines, chunks);
      return Promise.resolve();
    }
    const tracked = new TrackedChunks(chunks);
    this.#finish(status, headerLines, tracked);
    return tracked.ended;
  }

  streamFixed(
    status: number,
    headerLines: string,
    _length: number,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<void> {
    return this.stream(status, headerLines, chunks);
  }

  #finish(status: number, headerLines: string, body: CollectedResponse['body']): void {
    if (this.#isDone) {
      // A stream that lost the race with the 504: nobody will read it, so let its source end.
      if (body !== null && typeof body === 'object' && Symbol.asyncIterator in body)
        void body[Symbol.asyncIterator]().return?.();
      return;
    }
    this.#isDone = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#resolve({ status, headers: parseHeaderLines(headerLines), body });
  }
}

/** `A: 1\r\nB: 2\r\n` → `[['A', '1'], ['B', '2']]`. The lines were validated when built. */
export function parseHeaderLines(lines: string): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  let start = 0;
  while (start < lines.length) {
    const end = lines.indexOf('\r\n', start);
    const line = lines.slice(start, end === -1 ? lines.length : end);
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
    if (end === -1) break;
    start = end + 2;
  }
  return headers;
}

/** The chunks of a collected stream; `ended` settles when the reader finished or stopped. */
class TrackedChunks<T> implements AsyncIterableIterator<T> {
  readonly ended: Promise<void>;
  readonly #source: AsyncIterable<T>;
  #iterator: AsyncIterator<T> | null = null;
  #onEnd: () => void = () => {};

  constructor(source: AsyncIterable<T>) {
    this.#source = source;
    this.ended = new Promise((resolve) => {
      this.#onEnd = resolve;
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<T>> {
    this.#iterator ??= this.#source[Symbol.asyncIterator]();
    try {
      const result = await this.#iterator.next();
      if (result.done === true) this.#onEnd();
      return result;
    } catch (error) {
      this.#onEnd();
      throw error;
    }
  }

  async return(): Promise<IteratorResult<T>> {
    try {
      this.#iterator ??= this.#source[Symbol.asyncIterator]();
      return (await this.#iterator.return?.()) ?? { done: true, value: undefined };
    } finally {
      this.#onEnd();
    }
  }
}
