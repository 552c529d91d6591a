import { close } from 'node:fs';
import { ResponsesError } from '../errors.js';
import { contentTypeLineOf, type HeaderInit, headerBlockOf, toPairs } from '../internal/header-field.js';
import { mimeTypeForPath } from '../mime-type.js';
import { type ByteRange, parseByteRanges } from './byte-ranges.js';
import { ContentRoot, contentRoot, type OpenedFile } from './content-root.js';
import { FileChunks, type FileSegment, readExactly } from './file-chunks.js';
import {
  type ConditionalHeaders,
  evaluatePreconditions,
  type FileValidators,
  fileValidators,
  ifRangeMatches,
} from './validators.js';

/** Options of {@link PartialContent}. */
export interface PartialContentInit {
  /** Where the path is resolved (default: the working directory). */
  readonly root?: string | ContentRoot;
  /** Content-Type; default: by the file's extension, else the route's type. */
  readonly mimeType?: string;
  /** Extra headers (Cache-Control, Content-Disposition, ...). */
  readonly headers?: HeaderInit;
  /** Bytes read from the file per chunk (default 64 KiB). */
  readonly chunkSize?: number;
  /**
   * The seed's `default_size`: an open-ended request (`bytes=a-`) is answered with at most
   * this many bytes, which is what video players ask for first. Default: no cap.
   */
  readonly defaultSize?: number;
  /** More ranges than this (after merging) and the Range header is ignored (default 16). */
  readonly maxRanges?: number;
}

/** The request fields a file answer depends on. */
export interface FileRequest extends ConditionalHeaders {
  readonly method: string;
  readonly range?: string | undefined;
  readonly ifRange?: string | undefined;
}

/** How to answer a file request; the response writer turns it into sink calls. */
export interface FileAnswer {
  readonly status: 200 | 206 | 304 | 412 | 416;
  /** Every header line but Content-Length. */
  readonly headerLines: string;
  /** The body length (Content-Length). */
  readonly length: number;
  /** The body, read already (small answers); `null` when `chunks` carries it or there is none. */
  readonly body: Uint8Array | null;
  /** The body to stream (owns the file descriptor); `null` otherwise. */
  readonly chunks: FileChunks | null;
}

const DEFAULT_CHUNK = 65_536;
const ACCEPT_RANGES = 'Accept-Ranges: bytes\r\n';

/**
 * A file answered with range support: `Range` (single, suffix, open; several as
 * `multipart/byteranges`), `If-Range`, `ETag`/`Last-Modified` with 304 and 412, 416 with
 * `Content-Range: bytes *\/size`, and `Accept-Ranges: bytes`. The body is read in bounded
 * chunks from the descriptor, with the socket's backpressure; HEAD reads nothing. The path is
 * resolved inside a {@link ContentRoot}: traversal is refused (403) and never read.
 *
 * Without a Range header this is the way to serve a whole file too (200). Files are never
 * compressed.
 * @example `return new PartialContent('/content/movie.mp4', { defaultSize: 80_000 })`
 * @throws ResponsesError `BBWS_ERR_RESPONSE_HEADER`, `BBWS_ERR_MIME_TYPE_INVALID` (construction)
 * @see docs/responses.md#files-and-ranges
 */
export class PartialContent {
  readonly path: string;
  readonly root: ContentRoot;
  readonly #typeLine: string | null;
  readonly #headerLines: string;
  readonly #chunkSize: number;
  readonly #defaultSize: number;
  readonly #maxRanges: number;

  /** `init` may be a number: the seed's `default_size`. */
  constructor(path: string, init: PartialContentInit | number = {}) {
    const options: PartialContentInit = typeof init === 'number' ? { defaultSize: init } : init;
    this.path = path;
    this.root = options.root instanceof ContentRoot ? options.root : contentRoot(options.root);
    this.#typeLine = options.mimeType === undefined ? null : contentTypeLineOf(options.mimeType);
    this.#headerLines = headerBlockOf(toPairs(options.headers));
    this.#chunkSize = positive(options.chunkSize, DEFAULT_CHUNK, 'chunkSize');
    this.#defaultSize = positive(options.defaultSize, Number.POSITIVE_INFINITY, 'defaultSize');
    this.#maxRanges = positive(options.maxRanges, 16, 'maxRanges');
  }

  /**
   * Opens the file and decides the answer. `fallbackTypeLine` is the route's Content-Type line,
   * used when neither `mimeType` nor the extension names a type.
   * @throws ResponsesError `BBWS_ERR_PATH_REFUSED` (403), `BBWS_ERR_FILE_NOT_FOUND` (404)
   */
  async prepare(request: FileRequest, fallbackTypeLine: string): Promise<FileAnswer> {
    const file = await this.root.open(this.path);
    try {
      return await this.#answer(file, request, fallbackTypeLine);
    } catch (error) {
      close(file.fd, noCloseError);
      throw error;
    }
  }

  async #answer(file: OpenedFile, request: FileRequest, fallbackTypeLine: string): Promise<FileAnswer> {
    const v = fileValidators(file.size, file.mtimeMs);
    const validatorLines = `ETag: ${v.etag}\r\nLast-Modified: ${v.lastModified}\r\n${this.#headerLines}`;
    const precondition = evaluatePreconditions(request.method, request, v);
    if (precondition !== 0) return this.#empty(file, precondition, validatorLines);

    const typeLine = this.#typeLine ?? typeLineFor(file.path) ?? fallbackTypeLine;
    const isHead = request.method === 'HEAD';
    const ranges = this.#ranges(request, file.size, v);
    if (ranges === null) {
      const head = `${typeLine}${ACCEPT_RANGES}${validatorLines}`;
      return this.#body(file, 200, head, [{ start: 0, end: file.size - 1 }], file.size, isHead);
    }
    if (ranges.length === 0) {
      return this.#empty(
        file,
        416,
        `Content-Range: bytes */${file.size}\r\n${ACCEPT_RANGES}${validatorLines}`,
      );
    }
    if (ranges.length === 1) {
      const range = ranges[0] as ByteRange;
      const head = `${typeLine}${ACCEPT_RANGES}Content-Range: bytes ${range.start}-${range.end}/${file.size}\r\n${validatorLines}`;
      return this.#body(file, 206, head, ranges, range.end - range.start + 1, isHead);
    }
    // Web Crypto's global, not node:crypto, which start would otherwise load (docs/architecture.md).
    const boundary = Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('hex');
    const partType = typeLine === '' ? '' : typeLine.slice(0, -2);
    const segments: FileSegment[] = [];
    let length = 0;
    ranges.forEach((range, i) => {
      const partHead = Buffer.from(
        `${i === 0 ? '' : '\r\n'}--${boundary}\r\n${partType === '' ? '' : `${partType}\r\n`}Content-Range: bytes ${range.start}-${range.end}/${file.size}\r\n\r\n`,
        'latin1',
      );
      segments.push(partHead, range);
      length += partHead.byteLength + range.end - range.start + 1;
    });
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
    segments.push(tail);
    length += tail.byteLength;
    const head = `Content-Type: multipart/byteranges; boundary=${boundary}\r\n${ACCEPT_RANGES}${validatorLines}`;
    return {
      status: 206,
      headerLines: head,
      length,
      body: null,
      chunks: new FileChunks(file.fd, segments, this.#chunkSize),
    };
  }

  /** `null`: send the whole file; `[]`: unsatisfiable; else the ranges to send. */
  #ranges(request: FileRequest, size: number, v: FileValidators): readonly ByteRange[] | null {
    if (request.range === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) return null;
    if (request.ifRange !== undefined && !ifRangeMatches(request.ifRange, v)) return null;
    const parsed = parseByteRanges(request.range, size, this.#maxRanges);
    if (parsed.kind === 'whole') return null;
    if (parsed.kind === 'unsatisfiable') return [];
    if (parsed.isOpenEnded && this.#defaultSize !== Number.POSITIVE_INFINITY) {
      const range = parsed.ranges[0] as ByteRange;
      return [{ start: range.start, end: Math.min(range.end, range.start + this.#defaultSize - 1) }];
    }
    return parsed.ranges;
  }

  async #body(
    file: OpenedFile,
    status: 200 | 206,
    headerLines: string,
    segments: readonly ByteRange[],
    length: number,
    isHead: boolean,
  ): Promise<FileAnswer> {
    if (length === 0 || isHead) return this.#empty(file, status, headerLines, length);
    const first = segments[0] as ByteRange;
    if (segments.length === 1 && length <= this.#chunkSize) {
      // One read and one write: cheaper than a stream for the common small answer.
      const body = await readExactly(file.fd, first.start, length);
      close(file.fd, noCloseError);
      return { status, headerLines, length, body, chunks: null };
    }
    return {
      status,
      headerLines,
      length,
      body: null,
      chunks: new FileChunks(file.fd, segments, this.#chunkSize),
    };
  }

  #empty(file: OpenedFile, status: FileAnswer['status'], headerLines: string, length = 0): FileAnswer {
    close(file.fd, noCloseError);
    return { status, headerLines, length, body: null, chunks: null };
  }
}

/**
 * Reads a whole file inside a content root (the seed's `load_file`), with the same path
 * rules as {@link PartialContent}.
 * @example `return new Dynamic(await loadFile('/content/404.html'), MIME_TYPE.HTML)`
 * @throws ResponsesError `BBWS_ERR_PATH_REFUSED` (403), `BBWS_ERR_FILE_NOT_FOUND` (404),
 *   `BBWS_ERR_FILE_TOO_LARGE` (500) when the file is larger than `maxBytes` (default 64 MiB)
 */
export async function loadFile(
  path: string,
  options: { readonly root?: string | ContentRoot; readonly maxBytes?: number } = {},
): Promise<Buffer> {
  const root = options.root instanceof ContentRoot ? options.root : contentRoot(options.root);
  const maxBytes = positive(options.maxBytes, 64 * 1024 * 1024, 'maxBytes');
  const file = await root.open(path);
  try {
    if (file.size > maxBytes) {
      throw new ResponsesError(
        'BBWS_ERR_FILE_TOO_LARGE',
        `${JSON.stringify(path)} has ${file.size} bytes, more than loadFile's maxBytes ${maxBytes}; serve it with PartialContent`,
      );
    }
    return file.size === 0 ? Buffer.alloc(0) : await readExactly(file.fd, 0, file.size);
  } finally {
    close(file.fd, noCloseError);
  }
}

function typeLineFor(path: string): string | null {
  const type = mimeTypeForPath(path);
  return type === null ? null : `Content-Type: ${type}\r\n`;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !(Number.isSafeInteger(value) || value === Number.POSITIVE_INFINITY)) {
    throw new ResponsesError('BBWS_ERR_FILE_OPTIONS', `${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Closing a read-only fd cannot lose data; the error has nowhere useful to go. */
function noCloseError(): void {}
