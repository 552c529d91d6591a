import type { ResponseSink } from '@bbws/transport';
import { SinkDecorator } from './sink-decorator.js';

/**
 * A sink that adds header lines (a handler's ResponseHead) and may replace a 200/204 status
 * (error pages, `ctx.response.status`). Only requests that need it pay for the wrapper.
 */
export class HeadApplyingSink extends SinkDecorator {
  #extraLines: string;
  #status: number | null;
  /** Set once the response has been handed to the inner sink. */
  isSent = false;

  constructor(inner: ResponseSink, extraLines = '', status: number | null = null) {
    super(inner);
    this.#extraLines = extraLines;
    this.#status = status;
  }

  /** Adds more header lines before the response is written. */
  addLines(lines: string): void {
    this.#extraLines += lines;
  }

  /** Replaces the status of a 200/204 answer. */
  overrideStatus(status: number | null): void {
    this.#status = status;
  }

  protected override mapStatus(status: number): number {
    this.isSent = true;
    return this.#status !== null && (status === 200 || status === 204) ? this.#status : status;
  }

  protected override mapLines(headerLines: string): string {
    return this.#extraLines + headerLines;
  }
}
