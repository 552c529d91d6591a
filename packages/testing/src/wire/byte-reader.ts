import type { Readable } from 'node:stream';

/**
 * Collects the bytes a stream emits and lets a reader wait for more. Bytes read past the end
 * of one response stay in {@link ByteReader.rest} for the next response on the same stream.
 */
export class ByteReader {
  /** Bytes received but not yet consumed by a response reader. */
  rest: Buffer = Buffer.alloc(0);
  #chunks: Buffer[] = [];
  #ended = false;
  #received = 0;
  #waiter: (() => void) | null = null;

  constructor(stream: Readable) {
    stream.on('data', (chunk: Buffer) => {
      this.#received += chunk.length;
      this.#chunks.push(chunk);
      this.#wake();
    });
    const onEnd = () => {
      this.#ended = true;
      this.#wake();
    };
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    // A reset peer ends the stream for the reader; the error itself is the caller's to report.
    stream.on('error', onEnd);
  }

  /** Whether the peer closed and every byte was taken. */
  get isDone(): boolean {
    return this.#ended && this.#chunks.length === 0 && this.rest.length === 0;
  }

  /** Whether the peer closed its side (bytes may still be buffered). */
  get isEnded(): boolean {
    return this.#ended;
  }

  /** How many bytes arrived in total. */
  get receivedBytes(): number {
    return this.#received;
  }

  /** The next chunk, or `null` once the stream ended. */
  async next(): Promise<Buffer | null> {
    while (this.#chunks.length === 0) {
      if (this.#ended) return null;
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
    }
    return this.#chunks.shift() ?? null;
  }

  /** The next chunk if one is already buffered, without waiting. */
  take(): Buffer | null {
    return this.#chunks.shift() ?? null;
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.();
  }
}
