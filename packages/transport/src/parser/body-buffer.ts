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
/** Past this capacity a body grows in place, in one resizable buffer (see {@link BodyBuffer}). */
const IN_PLACE_FROM_BYTES = 1_048_576;

/** An ES2024 resizable ArrayBuffer (in Node 20's V8; the TypeScript lib in use predates it). */
interface ResizableArrayBuffer extends ArrayBuffer {
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}
const ResizableArrayBuffer = ArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => ResizableArrayBuffer;

/**
 * The bytes of one request body as they arrive, copied in, however the body is framed: a
 * chunked body of one-byte chunks costs its bytes, not an object per chunk, and a declared
 * Content-Length is not allocated before its bytes come.
 *
 * The first MiB goes into a list of blocks: 16 KiB first, then each block as large as the
 * blocks before it. Past that the body moves once (at most 1 MiB copied) into one resizable
 * ArrayBuffer that can grow to the body's cap (its Content-Length, or max_body_size) and
 * grows in place, 1 MiB at a time: its pages are committed as it grows, and nothing is
 * outgrown, copied or joined. Memory held is the bytes received plus at most one step not yet
 * filled (at most twice the bytes, and at most 1 MiB more than them), and a complete body is
 * handed over without a copy of it. Where a resizable buffer cannot be had (address space),
 * the blocks go on at 1 MiB each and are joined once when the body is complete.
 */
export class BodyBuffer {
  #blocks: Buffer[] = [];
  /** The block being filled, and the bytes in it. */
  #fill = 0;
  #fillUsed = 0;
  /** The resizable buffer a body past its first MiB grows in, and a view of all of it. */
  #grown: ResizableArrayBuffer | null = null;
  #grownView: Buffer | null = null;
  /** The cap of the last {@link capacityFor}: how far the resizable buffer may grow. */
  #cap = 0;
  #length = 0;
  #capacity = 0;

  /** Bytes received. */
  get length(): number {
    return this.#length;
  }

  /** Bytes allocated (what the budget is charged). */
  get capacity(): number {
    return this.#capacity;
  }

  /** Blocks allocated; 0 once the body grows in place. */
  get blockCount(): number {
    return this.#blocks.length;
  }

  /** Whether the body grows in place, in one resizable buffer. */
  get isInPlace(): boolean {
    return this.#grown !== null;
  }

  /**
   * The capacity needed to add `extra` bytes, at most `cap` (the body's known or maximum
   * size) unless the bytes themselves need more; equal to {@link capacity} when they fit.
   */
  capacityFor(extra: number, cap: number): number {
    const capacity = this.#capacity;
    const needed = this.#length + extra;
    if (needed <= capacity) return capacity;
    this.#cap = cap;
    const step = capacity === 0 ? INITIAL_BLOCK_BYTES : Math.min(capacity, MAX_BLOCK_BYTES);
    return Math.max(needed, Math.min(capacity + step, cap));
  }

  /** Copies `source[start, end)` in; the caller made room with {@link grow}. */
  append(source: Buffer, start: number, end: number): void {
    const view = this.#grownView;
    if (view !== null) {
      source.copy(view, this.#length, start, end);
      this.#length += end - start;
      return;
    }
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

  /** Makes room for `capacity` bytes in all: a block more, or the resizable buffer grown. */
  grow(capacity: number): void {
    if (capacity <= this.#capacity) return;
    const grown = this.#grown;
    if (grown !== null && capacity <= grown.maxByteLength) {
      grown.resize(capacity);
      this.#grownView = Buffer.from(grown, 0, capacity);
    } else if (grown !== null) {
      // Past the cap it was made for (the parser never asks): moved once into a larger one.
      if (!this.#growInPlace(capacity)) throw new RangeError(`no room for a body of ${capacity} bytes`);
    } else if (capacity <= IN_PLACE_FROM_BYTES || !this.#growInPlace(capacity)) {
      this.#blocks.push(Buffer.allocUnsafe(capacity - this.#capacity));
    }
    this.#capacity = capacity;
  }

  /** Moves the bytes (blocks, or a smaller resizable buffer) into a resizable buffer of `capacity` bytes; false when none can be had. */
  #growInPlace(capacity: number): boolean {
    let grown: ResizableArrayBuffer;
    try {
      grown = new ResizableArrayBuffer(capacity, { maxByteLength: Math.max(this.#cap, capacity) });
    } catch {
      return false;
    }
    const view = Buffer.from(grown, 0, capacity);
    this.#grownView?.copy(view, 0, 0, this.#length);
    let at = 0;
    for (const block of this.#blocks) {
      const n = Math.min(this.#length - at, block.length);
      block.copy(view, at, 0, n);
      at += n;
    }
    this.#blocks = [];
    this.#fill = 0;
    this.#fillUsed = 0;
    this.#grown = grown;
    this.#grownView = view;
    return true;
  }

  /**
   * The body received, handed off; the buffer is empty afterwards. A body in one block or in
   * the resizable buffer is handed over as it is (the resizable buffer shrunk to the body's
   * bytes); blocks are joined into one buffer of exactly the body's bytes, once.
   */
  take(): Buffer {
    const blocks = this.#blocks;
    const length = this.#length;
    const grown = this.#grown;
    let body: Buffer;
    if (grown !== null) {
      grown.resize(length);
      body = Buffer.from(grown, 0, length);
    } else if (length === 0) body = Buffer.alloc(0);
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
    this.#grown = null;
    this.#grownView = null;
    this.#length = 0;
    this.#capacity = 0;
  }
}
