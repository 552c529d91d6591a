import type { ResponseSink } from '@bbws/transport';

/**
 * A sink that adds header lines (CORS, a handler's ResponseHead) and may replace a 200 status
 * (error pages, `ctx.response.status`). Only requests that need it pay for the wrapper.
 */
export class HeadApplyingSink implements ResponseSink {
  readonly #inner: ResponseSink;
  #extraLines: string;
  #status: number | null;
  /** Set once the response has been handed to the inner sink. */
  isSent = false;
  /** Status actually written. */
  writtenStatus = 0;

  constructor(inner: ResponseSink, extraLines = '', status: number | null = null) {
    this.#inner = inner;
    this.#extraLines = extraLines;
    this.#status = status;
  }

  /** Adds more header lines before the response is written. */
  addLines(lines: string): void {
    this.#extraLines += lines;
  }

  /** Replaces the status of a 200 answer. */
  overrideStatus(status: number | null): void {
    this.#status = status;
  }

  send(status: number, headerLines: string, body: Uint8Array | string | null): void {
    this.isSent = true;
    this.writtenStatus = this.#pick(status);
    this.#inner.send(this.writtenStatus, this.#extraLines + headerLines, body);
  }

  stream(status: number, headerLines: string, chunks: AsyncIterable<Uint8Array | string>): Promise<void> {
    this.isSent = true;
    this.writtenStatus = this.#pick(status);
    return this.#inner.stream(this.writtenStatus, this.#extraLines + headerLines, chunks);
  }

  streamFixed(
    status: number,
    headerLines: string,
    length: number,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<void> {
    this.isSent = true;
    this.writtenStatus = this.#pick(status);
    return this.#inner.streamFixed(this.writtenStatus, this.#extraLines + headerLines, length, chunks);
  }

  #pick(status: number): number {
    return this.#status !== null && (status === 200 || status === 204) ? this.#status : status;
  }
}
