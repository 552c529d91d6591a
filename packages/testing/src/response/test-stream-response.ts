import { TestingError } from '../errors.js';
import type { HeaderList, ResponseHead } from '../wire/read-response.js';
import { joinFields, ResponseHeadView } from './response-head-view.js';
import { parseJson } from './test-response.js';

/**
 * A response whose head has arrived and whose body is read as it comes (from
 * `client.stream()`): iterate it to get each chunk of chunked coding as soon as the server
 * flushed it. Leaving the loop early (or calling `close()`) disconnects, the way a browser
 * that navigates away does; the server's stream source sees `return()`.
 * @see docs/testing.md
 */
export class TestStreamResponse extends ResponseHeadView implements AsyncIterable<Buffer> {
  readonly #body: AsyncGenerator<Buffer, HeaderList>;
  readonly #disconnect: () => void;
  #isUsed = false;
  #trailerList: HeaderList = [];

  /**
   * @param head the response head
   * @param body the body reader, positioned after the head
   * @param disconnect closes the connection (called when reading ends, however it ends)
   */
  constructor(head: ResponseHead, body: AsyncGenerator<Buffer, HeaderList>, disconnect: () => void) {
    super(head);
    this.#body = body;
    this.#disconnect = disconnect;
  }

  /** Trailer fields by lower-case name, once the body has been read to its end. */
  get trailers(): Readonly<Record<string, string>> {
    return joinFields(this.#trailerList);
  }

  /**
   * Yields the body chunks as they arrive. One pass only.
   * @throws TestingError `BBWS_ERR_TESTING_BODY_USED` on a second pass
   */
  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    if (this.#isUsed) {
      throw new TestingError(
        'BBWS_ERR_TESTING_BODY_USED',
        `body of the ${this.status} stream was already read`,
      );
    }
    this.#isUsed = true;
    try {
      for (;;) {
        const next = await this.#body.next();
        if (next.done === true) {
          this.#trailerList = next.value;
          return;
        }
        yield next.value;
      }
    } finally {
      this.#disconnect();
    }
  }

  /** Reads the rest of the body. */
  async bytes(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  /** Reads the rest of the body as UTF-8 text. */
  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  /**
   * Reads the rest of the body and parses it as JSON.
   * @throws TestingError `BBWS_ERR_TESTING_NOT_JSON`
   */
  async json<T = unknown>(): Promise<T> {
    return parseJson<T>(await this.text(), this.status);
  }

  /** Disconnects now, without reading further. */
  close(): void {
    this.#isUsed = true;
    this.#disconnect();
  }
}
