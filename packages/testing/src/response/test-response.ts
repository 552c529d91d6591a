import { TestingError } from '../errors.js';
import type { HeaderList, RawResponse } from '../wire/read-response.js';
import { type ByteRangePart, parseByteRanges } from './content-range.js';
import { joinFields, ResponseHeadView } from './response-head-view.js';

/**
 * A complete response received by {@link TestClient}: status, headers, and the whole body.
 * Iterating it (`for await (const chunk of res)`) yields the body as it was framed: one entry
 * per chunk of chunked coding. For a body that is still being produced, use
 * `client.stream()`, which yields chunks as they arrive.
 * @see docs/testing.md
 */
export class TestResponse extends ResponseHeadView implements AsyncIterable<Buffer> {
  /** Trailer fields in wire order. */
  readonly trailerList: HeaderList;
  /** The body as framed on the wire: one entry per chunk of chunked coding, else at most one. */
  readonly chunks: readonly Buffer[];
  readonly #body: Buffer;

  constructor(raw: RawResponse) {
    super(raw);
    this.#body = raw.body;
    this.chunks = raw.chunks;
    this.trailerList = raw.trailerList;
  }

  /** Trailer fields of a chunked body by lower-case name. */
  get trailers(): Readonly<Record<string, string>> {
    return joinFields(this.trailerList);
  }

  /** The body bytes (transfer coding removed). */
  bytes(): Buffer {
    return this.#body;
  }

  /** The body as UTF-8 text. */
  text(): string {
    return this.#body.toString('utf8');
  }

  /**
   * The body parsed as JSON.
   * @throws TestingError `BBWS_ERR_TESTING_NOT_JSON` with the status and the start of the body
   */
  json<T = unknown>(): T {
    return parseJson<T>(this.text(), this.status);
  }

  /**
   * The parts of a `multipart/byteranges` body (a 206 answer to several ranges).
   * @throws TestingError `BBWS_ERR_TESTING_NOT_BYTERANGES`
   */
  byteRanges(): ByteRangePart[] {
    return parseByteRanges(this.headers['content-type'], this.#body);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    yield* this.chunks;
  }
}

/** @throws TestingError `BBWS_ERR_TESTING_NOT_JSON` */
export function parseJson<T>(text: string, status: number): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    const start = text.length > 200 ? `${text.slice(0, 200)}...` : text;
    throw new TestingError(
      'BBWS_ERR_TESTING_NOT_JSON',
      `body of the ${status} response is not JSON: ${JSON.stringify(start)}`,
      { cause: error },
    );
  }
}
