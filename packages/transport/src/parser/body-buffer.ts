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

/** The first block of a body; each later block is as large as the body's blocks so far. */
const INITIAL_BLOCK_BYTES = 16_384;
/** The largest block a body grows by (unless one append needs more): the most ever allocated and unused. */
const MAX_BLOCK_BYTES = 1_048_576;

/**
 * The bytes of one request body as they arrive, copied into a list of blocks: 16 KiB first,
 * then each block as large as the blocks before it, at most 1 MiB, and never past a cap (the
 * body's Content-Length, or max_body_size). A block is never outgrown or copied while the body
 * arrives, so memory held is the bytes received plus at most one block not yet filled (at most
 * twice the bytes, and at most 1 MiB more than them), however the body is framed: a chunked
 * body of one-byte chunks costs its bytes, not an object per chunk, and a declared
 * Content-Length is not allocated before its bytes come. The blocks are joined once, when the
 * body is complete ({@link BodyBuffer.take}); a body that fits in its first block is handed
 * over as it is.
 */
export class BodyBuffer {
  #blocks: Buffer[] = [];
  /** The block being filled, and the bytes in it. */
  #fill = 0;
  #fillUsed = 0;
  #length = 0;
  #capacity = 0;

  /** Bytes received. */
  get length(): number {
    return this.#length;
  }

  /** Bytes allocated, all blocks together (what the budget is charged). */
  get capacity(): number {
    return this.#capacity;
  }

  /** Blocks allocated. */
  get blockCount(): number {
    return this.#blocks.length;
  }

  /**
   * The capacity needed to add `extra` bytes, at most `cap` (the body's known or maximum
   * size) unless the bytes themselves need more; equal to {@link capacity} when they fit.
   */
  capacityFor(extra: number, cap: number): number {
    const capacity = this.#capacity;
    const needed = this.#length + extra;
    if (needed <= capacity) return capacity;
    const block = capacity === 0 ? INITIAL_BLOCK_BYTES : Math.min(capacity, MAX_BLOCK_BYTES);
    return Math.max(needed, Math.min(capacity + block, cap));
  }

  /** Copies `source[start, end)` in; the caller made room with {@link grow}. */
  append(source: Buffer, start: number, end: number): void {
    const blocks = this.#blocks;
    let from = start;
    while (from < end) {
      const block = blocks[this.#fill] as Buffer;
      const room = block.length - this.#fillUsed;
      if (room === 0) {
        this.#fill++;
        this.#fillUsed = 0;
        continue;
      }
      const n = Math.min(end - from, room);
      source.copy(block, this.#fillUsed, from, from + n);
      this.#fillUsed += n;
      from += n;
    }
    this.#length += end - start;
  }

  /** Adds a block, so that the blocks hold `capacity` bytes in all. */
  grow(capacity: number): void {
    if (capacity <= this.#capacity) return;
    this.#blocks.push(Buffer.allocUnsafe(capacity - this.#capacity));
    this.#capacity = capacity;
  }

  /**
   * The body received, handed off; the buffer is empty afterwards. One block is handed over
   * as a view; more are joined into one buffer of exactly the body's bytes, once.
   */
  take(): Buffer {
    const blocks = this.#blocks;
    const length = this.#length;
    let body: Buffer;
    if (length === 0) body = Buffer.alloc(0);
    else if (blocks.length === 1) body = (blocks[0] as Buffer).subarray(0, length);
    else {
      body = Buffer.allocUnsafe(length);
      let at = 0;
      for (let i = 0; at < length; i++) {
        const block = blocks[i] as Buffer;
        const n = Math.min(length - at, block.length);
        block.copy(body, at, 0, n);
        at += n;
      }
    }
    this.clear();
    return body;
  }

  /** Drops what was received. */
  clear(): void {
    if (this.#capacity === 0) return;
    this.#blocks = [];
    this.#fill = 0;
    this.#fillUsed = 0;
    this.#length = 0;
    this.#capacity = 0;
  }
}
