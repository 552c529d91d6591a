import { Readable } from 'node:stream';
import type busboy from 'busboy';
import { HttpError } from '../http-error.js';
import { createBusboy } from './busboy.js';

/** Limits of one `@Upload()` parameter. @see docs/controllers.md#uploads */
export interface UploadLimits {
  /** Largest file part, in bytes; a larger one fails the request with 413 (default: `maxTotalBytes`). */
  readonly maxFileBytes?: number;
  /**
   * Largest request body, in bytes; more is 413 before or while it is read. May exceed
   * `max_body_size`: the body is streamed, never held whole (default: the global `max_body_size`).
   */
  readonly maxTotalBytes?: number;
  /** Most file parts (default 20); one more is 413. */
  readonly maxFiles?: number;
  /** Most plain fields (default 200); one more is 413. */
  readonly maxFields?: number;
  /** Largest plain field value, in bytes (default 1 MiB); a longer one is 413. */
  readonly maxFieldBytes?: number;
}

/** A plain form field of a multipart upload. */
export interface UploadField {
  readonly kind: 'field';
  readonly name: string;
  readonly value: string;
}

/**
 * A file part of a multipart upload. Read `stream` to its end (or leave it: asking for the
 * next part drains it); the next part arrives only then, so the server never holds more than
 * a few socket reads of a file, whatever its size.
 */
export interface UploadFile {
  readonly kind: 'file';
  /** The form field name. */
  readonly name: string;
  readonly filename: string;
  readonly mimeType: string;
  /** The file's bytes as they arrive; errors with HttpError 413 past `maxFileBytes`. */
  readonly stream: Readable;
}

/** One part of a multipart upload, in the order the client sent them. */
export type UploadPart = UploadField | UploadFile;

const DEFAULT_MAX_FILES = 20;
const DEFAULT_MAX_FIELDS = 200;
const DEFAULT_MAX_FIELD_BYTES = 1_048_576;

/**
 * A `multipart/form-data` body read as it arrives: `for await (const part of upload)` gives
 * fields and files in order. What `@Upload()` hands a handler.
 * @see docs/controllers.md#uploads
 */
export class UploadStream implements AsyncIterable<UploadPart> {
  readonly #parts: UploadPart[] = [];
  #wake: (() => void) | null = null;
  #error: Error | null = null;
  #isDone = false;
  #current: Readable | null = null;
  readonly #source: Readable;

  /**
   * @param body the request body (the transport's stream, or bytes it buffered)
   * @param contentType the request's Content-Type
   * @throws HttpError 415 when the body is not `multipart/form-data`
   */
  constructor(body: Readable | Buffer, contentType: string, limits: UploadLimits & { maxFileBytes: number }) {
    let parser: busboy.Busboy;
    try {
      parser = createBusboy({
        headers: { 'content-type': contentType },
        limits: {
          fileSize: limits.maxFileBytes,
          files: limits.maxFiles ?? DEFAULT_MAX_FILES,
          fields: limits.maxFields ?? DEFAULT_MAX_FIELDS,
          fieldSize: limits.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES,
        },
      });
    } catch (error) {
      throw new HttpError(415, 'an upload must be multipart/form-data with a boundary', {
        reason: (error as Error).message,
      });
    }
    this.#source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
    parser.on('file', (name, stream, info) => {
      stream.on('limit', () => {
        const error = new HttpError(413, `file ${JSON.stringify(info.filename)} is larger than maxFileBytes`);
        this.#fail(error);
        abort(stream, error);
      });
      this.#push({
        kind: 'file',
        name,
        filename: info.filename ?? '',
        mimeType: info.mimeType ?? 'application/octet-stream',
        stream,
      });
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated)
        this.#fail(new HttpError(413, `field ${JSON.stringify(name)} is longer than maxFieldBytes`));
      else this.#push({ kind: 'field', name, value });
    });
    parser.on('filesLimit', () => this.#fail(new HttpError(413, 'more files than maxFiles')));
    parser.on('fieldsLimit', () => this.#fail(new HttpError(413, 'more fields than maxFields')));
    parser.on('close', () => {
      this.#isDone = true;
      this.#notify();
    });
    parser.on('error', (error: unknown) =>
      this.#fail(new HttpError(400, `malformed multipart body: ${(error as Error).message}`)),
    );
    this.#source.on('error', (error: Error) => this.#fail(error));
    this.#source.pipe(parser);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<UploadPart> {
    for (;;) {
      // A file the handler did not read is drained, or busboy would wait for it forever.
      if (this.#current !== null && !this.#current.readableEnded) this.#current.resume();
      this.#current = null;
      if (this.#error !== null) throw this.#error;
      const part = this.#parts.shift();
      if (part !== undefined) {
        if (part.kind === 'file') this.#current = part.stream;
        yield part;
        continue;
      }
      if (this.#isDone) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #push(part: UploadPart): void {
    this.#parts.push(part);
    this.#notify();
  }

  #fail(error: Error): void {
    if (this.#error !== null) return;
    this.#error = error;
    if (this.#current !== null) abort(this.#current, error);
    this.#source.unpipe();
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

/** Ends a stream with `error` when somebody listens for it; quietly otherwise (no uncaught error). */
function abort(stream: Readable, error: Error): void {
  if (stream.destroyed) return;
  stream.destroy(stream.listenerCount('error') > 0 ? error : undefined);
}
