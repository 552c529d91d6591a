import { close, read } from 'node:fs';
import type { ByteRange } from './byte-ranges.js';

/** Part of a file body: bytes to send as they are (multipart framing), or a range of the file. */
export type FileSegment = Uint8Array | ByteRange;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A file body read in bounded chunks from an open descriptor: at most `chunkSize` bytes are
 * in memory per pull, and the transport pulls the next chunk only after the socket drained,
 * so a 4 GiB file never enters memory. Owns the descriptor: it is closed when the body ends,
 * fails, or the consumer calls `return()` (client gone, HEAD), even before the first pull.
 */
export class FileChunks implements AsyncIterableIterator<Uint8Array> {
  readonly #fd: number;
  readonly #segments: readonly FileSegment[];
  readonly #chunkSize: number;
  #index = 0;
  #position = -1;
  #isClosed = false;

  constructor(fd: number, segments: readonly FileSegment[], chunkSize: number) {
    this.#fd = fd;
    this.#segments = segments;
    this.#chunkSize = chunkSize;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      if (this.#isClosed) return DONE;
      const segment = this.#segments[this.#index];
      if (segment === undefined) {
        this.#close();
        return DONE;
      }
      if (segment instanceof Uint8Array) {
        this.#index++;
        return { done: false, value: segment };
      }
      if (this.#position < 0) this.#position = segment.start;
      const remaining = segment.end + 1 - this.#position;
      if (remaining <= 0) {
        this.#index++;
        this.#position = -1;
        continue;
      }
      const length = Math.min(remaining, this.#chunkSize);
      let chunk: Buffer;
      try {
        chunk = await readExactly(this.#fd, this.#position, length);
      } catch (error) {
        this.#close();
        throw error;
      }
      this.#position += length;
      return { done: false, value: chunk };
    }
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    this.#close();
    return DONE;
  }

  #close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    close(this.#fd, noCloseError);
  }
}

/**
 * Reads `length` bytes at `position` into a fresh buffer (the socket may still hold the last
 * one). A short read means the file shrank under us: that is an error, since Content-Length
 * is already promised.
 */
export function readExactly(fd: number, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  return new Promise((resolve, reject) => {
    const step = (offset: number) => {
      read(fd, buffer, offset, length - offset, position + offset, (error, bytesRead) => {
        if (error !== null) return reject(error);
        if (bytesRead === 0)
          return reject(new Error(`file ended ${length - offset} bytes early at ${position + offset}`));
        if (offset + bytesRead < length) return step(offset + bytesRead);
        resolve(buffer);
      });
    };
    step(0);
  });
}

/** Closing a read-only fd cannot lose data; the error has nowhere useful to go. */
function noCloseError(): void {}
