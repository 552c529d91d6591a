import type { HttpRequest, ResponseSink } from '@bbws/transport';
import type { LogHub } from '../logging/log-hub.js';
import { endpointScopeKey } from '../logging/log-scope.js';
import { SinkDecorator } from './sink-decorator.js';

/**
 * Writes the per-request lines of the `request`, `response` and `time` levels once a response
 * is out (for a stream: once it ended): the access line (method, target, status, bytes,
 * duration, endpoint, remote address), the response head, the duration. The pipeline wraps a
 * request's sink in it only while one of those levels can reach a sink, and each line is built
 * by a function the hub calls only when its level is on for the request's scope.
 * @see docs/logging.md#request-lines
 */
export class AccessLogSink extends SinkDecorator {
  readonly #request: HttpRequest;
  readonly #hub: LogHub;
  readonly #startedAt = performance.now();
  #bytes = 0;

  constructor(inner: ResponseSink, request: HttpRequest, hub: LogHub) {
    super(inner);
    this.#request = request;
    this.#hub = hub;
  }

  override send(status: number, headerLines: string, body: Uint8Array | string | null): void {
    this.inner.send(status, headerLines, body);
    this.#written(
      status,
      headerLines,
      body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    );
  }

  override stream(
    status: number,
    headerLines: string,
    chunks: AsyncIterable<Uint8Array | string>,
  ): Promise<void> {
    const done = this.inner.stream(status, headerLines, this.#counted(chunks));
    const written = () => this.#written(status, headerLines, this.#bytes);
    done.then(written, written);
    return done;
  }

  override streamFixed(
    status: number,
    headerLines: string,
    length: number,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<void> {
    const done = this.inner.streamFixed(status, headerLines, length, chunks);
    const written = () => this.#written(status, headerLines, length);
    done.then(written, written);
    return done;
  }

  async *#counted(chunks: AsyncIterable<Uint8Array | string>): AsyncIterable<Uint8Array | string> {
    for await (const chunk of chunks) {
      this.#bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      yield chunk;
    }
  }

  #written(status: number, headerLines: string, bytes: number): void {
    const durationMs = performance.now() - this.#startedAt;
    const request = this.#request;
    const hub = this.#hub;
    const { method, target, endpoint } = request;
    hub.log(
      () => ({
        msg: `${method} ${target} ${status} ${bytes} B ${durationMs.toFixed(1)} ms from ${request.remoteAddress}`,
        method,
        target,
        status,
        bytes,
        durationMs,
        endpoint: endpointScopeKey(endpoint),
        remoteAddress: request.remoteAddress,
      }),
      'request',
      endpoint,
    );
    hub.log(
      () => ({
        msg: `${status} for ${method} ${target}`,
        status,
        headers: headerLines.split('\r\n').filter((line) => line !== ''),
      }),
      'response',
      endpoint,
    );
    hub.log(
      () => ({ msg: `${method} ${target} took ${durationMs.toFixed(3)} ms`, durationMs }),
      'time',
      endpoint,
    );
  }
}
