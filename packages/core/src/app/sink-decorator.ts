import type { ResponseSink } from '@bbws/transport';

/**
 * A ResponseSink around another: subclasses change the status and header lines on the way
 * (CORS lines, a handler's ResponseHead, an error page's status) or watch what went out
 * (response listeners). The three write methods share one path, so a subclass cannot handle
 * `send` and forget `stream`.
 */
export abstract class SinkDecorator implements ResponseSink {
  protected readonly inner: ResponseSink;

  constructor(inner: ResponseSink) {
    this.inner = inner;
  }

  /** The status to write instead of `status` (default: unchanged). */
  protected mapStatus(status: number): number {
    return status;
  }

  /** The header lines to write instead of `headerLines` (default: unchanged). */
  protected mapLines(headerLines: string): string {
    return headerLines;
  }

  /** Called once the head has been handed to the inner sink. */
  protected afterHead(_status: number): void {}

  send(status: number, headerLines: string, body: Uint8Array | string | null): void {
    const mapped = this.mapStatus(status);
    this.inner.send(mapped, this.mapLines(headerLines), body);
    this.afterHead(mapped);
  }

  stream(status: number, headerLines: string, chunks: AsyncIterable<Uint8Array | string>): Promise<void> {
    const mapped = this.mapStatus(status);
    const done = this.inner.stream(mapped, this.mapLines(headerLines), chunks);
    this.afterHead(mapped);
    return done;
  }

  streamFixed(
    status: number,
    headerLines: string,
    length: number,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<void> {
    const mapped = this.mapStatus(status);
    const done = this.inner.streamFixed(mapped, this.mapLines(headerLines), length, chunks);
    this.afterHead(mapped);
    return done;
  }
}

/** Adds fixed header lines to whatever is written (CORS, Allow). */
export class HeadLines extends SinkDecorator {
  readonly #lines: string;

  constructor(inner: ResponseSink, lines: string) {
    super(inner);
    this.#lines = lines;
  }

  protected override mapLines(headerLines: string): string {
    return this.#lines + headerLines;
  }
}
