import type { ResponseSink } from '@bbws/transport';
import type { RequestMetrics } from '../metrics/request-metrics.js';

/** Records status and latency of one request; used only while Prometheus metrics are exposed. */
export class MeasuringSink implements ResponseSink {
  readonly #inner: ResponseSink;
  readonly #metrics: RequestMetrics;
  readonly #method: string;
  readonly #startedAt = performance.now();

  constructor(inner: ResponseSink, metrics: RequestMetrics, method: string) {
    this.#inner = inner;
    this.#metrics = metrics;
    this.#method = method;
  }

  send(status: number, headerLines: string, body: Uint8Array | string | null): void {
    this.#record(status);
    this.#inner.send(status, headerLines, body);
  }

  stream(status: number, headerLines: string, chunks: AsyncIterable<Uint8Array | string>): Promise<void> {
    this.#record(status);
    return this.#inner.stream(status, headerLines, chunks);
  }

  streamFixed(
    status: number,
    headerLines: string,
    length: number,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<void> {
    this.#record(status);
    return this.#inner.streamFixed(status, headerLines, length, chunks);
  }

  #record(status: number): void {
    this.#metrics.observe(this.#method, status, (performance.now() - this.#startedAt) / 1000);
  }
}
