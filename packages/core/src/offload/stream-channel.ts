import type { MessagePort } from 'node:worker_threads';

/** Worker → main thread, on a stream's own port. */
type StreamMessage =
  | { readonly kind: 'chunk'; readonly chunk: Uint8Array | string }
  | { readonly kind: 'end' }
  | { readonly kind: 'error'; readonly message: string };

/** Main thread → worker: send `n` more chunks, or stop. */
type StreamControl = { readonly kind: 'credit'; readonly n: number } | { readonly kind: 'cancel' };

/**
 * Chunks the main thread lets the worker send ahead. Each chunk the transport takes (it takes
 * the next only after the socket drained) grants one more, so a slow client slows the
 * worker's generator instead of filling memory.
 */
const CREDIT_WINDOW = 8;

/**
 * Worker side: pulls `chunks` only while the main thread has granted credit and posts each one
 * on `port` (bytes copied once into a buffer of their own, then transferred). A cancel (the
 * client left) or a closed port calls `return()` on the iterator, so a generator's `finally` runs.
 */
export async function pumpToPort(
  port: MessagePort,
  chunks: AsyncIterable<Uint8Array | string>,
): Promise<void> {
  const iterator = chunks[Symbol.asyncIterator]();
  let credit = 0;
  let isCancelled = false;
  let wake: (() => void) | null = null;
  const rouse = (): void => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  port.on('message', (control: StreamControl) => {
    if (control.kind === 'credit') credit += control.n;
    else isCancelled = true;
    rouse();
  });
  port.on('close', () => {
    isCancelled = true;
    rouse();
  });
  try {
    for (;;) {
      while (credit === 0 && !isCancelled) await new Promise<void>((resolve) => (wake = resolve));
      if (isCancelled) {
        await iterator.return?.();
        return;
      }
      const step = await iterator.next();
      if (step.done === true) {
        port.postMessage({ kind: 'end' } satisfies StreamMessage);
        return;
      }
      credit--;
      const chunk = step.value;
      if (typeof chunk === 'string') {
        port.postMessage({ kind: 'chunk', chunk } satisfies StreamMessage);
      } else {
        const own = chunk.slice();
        port.postMessage({ kind: 'chunk', chunk: own } satisfies StreamMessage, [own.buffer as ArrayBuffer]);
      }
    }
  } catch (error) {
    port.postMessage({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
    } satisfies StreamMessage);
  } finally {
    port.close();
  }
}

/**
 * Main-thread side: the chunks arriving on `port` as the async iterable the transport writes.
 * `return()` (the client left, or the answer was not taken) tells the worker to stop. A port
 * that closes without an end (its worker was terminated) fails the iteration, so the
 * transport aborts the response rather than end it as if complete.
 */
export class PortChunks implements AsyncIterableIterator<Uint8Array | string> {
  readonly #port: MessagePort;
  readonly #arrived: StreamMessage[] = [];
  #waiting: (() => void) | null = null;
  #isClosed = false;

  constructor(port: MessagePort) {
    this.#port = port;
    port.on('message', (message: StreamMessage) => this.#push(message));
    port.on('close', () => this.#push({ kind: 'error', message: 'the worker streaming this body is gone' }));
    port.postMessage({ kind: 'credit', n: CREDIT_WINDOW } satisfies StreamControl);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array | string> {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array | string>> {
    for (;;) {
      const message = this.#arrived.shift();
      if (message !== undefined) {
        if (message.kind === 'chunk') {
          if (!this.#isClosed) this.#port.postMessage({ kind: 'credit', n: 1 } satisfies StreamControl);
          return { value: message.chunk, done: false };
        }
        this.#close();
        if (message.kind === 'end') return { value: undefined, done: true };
        throw new Error(`offloaded stream failed: ${message.message}`);
      }
      if (this.#isClosed) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.#waiting = resolve));
    }
  }

  async return(): Promise<IteratorResult<Uint8Array | string>> {
    if (!this.#isClosed) {
      this.#port.postMessage({ kind: 'cancel' } satisfies StreamControl);
      this.#close();
    }
    return { value: undefined, done: true };
  }

  #push(message: StreamMessage): void {
    if (this.#isClosed) return;
    this.#arrived.push(message);
    const resolve = this.#waiting;
    this.#waiting = null;
    resolve?.();
  }

  #close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#port.close();
    const resolve = this.#waiting;
    this.#waiting = null;
    resolve?.();
  }
}
