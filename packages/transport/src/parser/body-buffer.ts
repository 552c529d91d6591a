/**
 * Where all bodies in progress draw their memory from (`max_body_buffer_total`). The parser
 * reserves bytes before it grows a body buffer and the connection returns them when the
 * request is over, so the sum of bodies held at once stays under one bound whatever the
 * framing or the number of connections.
 */
export interface BodyBudget {
  /** Takes `bytes` from the budget; false (nothing taken) when they do not fit. */
  tryReserve(bytes: number): boolean;
  /** Returns bytes taken by {@link BodyBudget.tryReserve}. */
  release(bytes: number): void;
}

/** A budget without bound: what a parser uses on its own (tests, the fuzzer). */
export const UNBOUNDED_BUDGET: BodyBudget = Object.freeze({
  tryReserve: () => true,
  release: () => {},
});

/** A counting {@link BodyBudget} with a cap in bytes. */
export class SharedBodyBudget implements BodyBudget {
  readonly maxBytes: number;
  #used = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Bytes reserved now. */
  get usedBytes(): number {
    return this.#used;
  }

  tryReserve(bytes: number): boolean {
    if (this.#used + bytes > this.maxBytes) return false;
    this.#used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.#used -= bytes;
  }
}

/** The first allocation of a body buffer; it doubles from here as bytes arrive. */
const INITIAL_BYTES = 16_384;

/**
 * The bytes of one request body as they arrive, copied into one buffer that doubles up to a
 * cap. Memory held is at most twice the bytes received (and never more than the cap), however
 * the body is framed: a chunked body of one-byte chunks costs its bytes, not an object per
 * chunk, and a declared Content-Length is not allocated before its bytes come.
 */
export class BodyBuffer {
  #bytes: Buffer | null = null;
  #length = 0;

  /** Bytes received. */
  get length(): number {
    return this.#length;
  }

  /** Bytes allocated (what the budget is charged). */
  get capacity(): number {
    return this.#bytes === null ? 0 : this.#bytes.length;
  }

  /**
   * The capacity needed to add `extra` bytes, at most `cap` (the body's known or maximum
   * size); equal to {@link capacity} when no growth is needed.
   */
  capacityFor(extra: number, cap: number): number {
    const capacity = this.capacity;
    const needed = this.#length + extra;
    if (needed <= capacity) return capacity;
    let next = capacity === 0 ? INITIAL_BYTES : capacity * 2;
    while (next < needed) next *= 2;
    return Math.max(needed, Math.min(next, cap));
  }

  /** Copies `source[start, end)` in; the caller made room with {@link grow}. */
  append(source: Buffer, start: number, end: number): void {
    const bytes = this.#bytes as Buffer;
    source.copy(bytes, this.#length, start, end);
    this.#length += end - start;
  }

  /** Grows the buffer to `capacity` bytes, keeping what it holds. */
  grow(capacity: number): void {
    const grown = Buffer.allocUnsafe(capacity);
    if (this.#bytes !== null) this.#bytes.copy(grown, 0, 0, this.#length);
    this.#bytes = grown;
  }

  /** The body received, handed off; the buffer is empty afterwards. */
  take(): Buffer {
    const bytes = this.#bytes;
    const body = bytes === null ? Buffer.alloc(0) : bytes.subarray(0, this.#length);
    this.#bytes = null;
    this.#length = 0;
    return body;
  }

  /** Drops what was received. */
  clear(): void {
    this.#bytes = null;
    this.#length = 0;
  }
}
