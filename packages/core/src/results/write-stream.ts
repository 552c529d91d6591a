import { DEFAULT_STREAM_LIMITS, type StreamEndEvent, StreamResponse } from '@bbws/responses';
import type { HttpRequest, ResponseSink } from '@bbws/transport';
import type { ResultHooks } from './result-hooks.js';

const BINARY_LINE = 'Content-Type: application/octet-stream\r\n';
const NO_CACHE = 'Cache-Control: no-cache\r\n';
const EVENT_STREAM = /^text\/event-stream\b/i;

/**
 * Writes a StreamResponse with chunked coding: the listener's stream limits (or the
 * response's own) apply, SSE streams get `Cache-Control: no-cache` and heartbeats, and the
 * end of every stream is reported to the app's `onStreamEnd` hook. Streams are never
 * compressed: every chunk must reach the client when it is written.
 * @throws ResponsesError `BBWS_ERR_STREAM_OPTIONS` when the same StreamResponse is written twice
 */
export function writeStream(
  sink: ResponseSink,
  typeLine: string,
  stream: StreamResponse,
  request: HttpRequest | undefined,
  hooks: ResultHooks | undefined,
): void {
  const routeLine = stream.mimeType !== null ? '' : typeLine === '' ? BINARY_LINE : typeLine;
  const contentType = stream.mimeType ?? routeLine.slice('Content-Type: '.length, -2);
  const isEventStream = EVENT_STREAM.test(contentType);
  let lines = routeLine + stream.headerLines;
  if (isEventStream && !stream.hasCacheControl) lines += NO_CACHE;
  const appHook = hooks?.onStreamEnd;
  const onEnd =
    appHook === undefined || request === undefined
      ? undefined
      : (event: StreamEndEvent) => appHook.call(hooks, request, event);
  const body = stream.open({
    limits: request?.streamLimits ?? DEFAULT_STREAM_LIMITS,
    isEventStream,
    ...(onEnd === undefined ? {} : { onEnd }),
  });
  sink
    .stream(stream.status, lines, body)
    .catch((error: unknown) =>
      process.emitWarning(error instanceof Error ? error : new Error(String(error))),
    );
}

/** Whether a handler returned a bare async iterable (a Readable, an async generator): streamed as is. */
export function isAsyncIterable(value: object): value is AsyncIterable<string | Uint8Array> {
  return typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}

/** Wraps a bare async iterable in a StreamResponse with the route's type. */
export function toStreamResponse(value: AsyncIterable<string | Uint8Array>): StreamResponse {
  return new StreamResponse(value);
}
