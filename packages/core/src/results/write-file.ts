import { type PartialContent, ResponsesError } from '@bbws/responses';
import type { HttpRequest, ResponseSink } from '@bbws/transport';
import { HttpError } from '../http-error.js';
import { fileRequestOf } from './request-headers.js';
import type { ResultHooks } from './result-hooks.js';

const BINARY_LINE = 'Content-Type: application/octet-stream\r\n';
const TEXT_LINE = 'Content-Type: text/plain; charset=utf-8\r\n';
const EMPTY: AsyncIterable<Uint8Array> = {
  [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }),
};
const GET_ONLY = Object.freeze({ method: 'GET' });

/**
 * Writes a file answer: a body read already with `send`, a streamed one with `streamFixed`
 * (Content-Length, chunks pulled after drain), HEAD as the head alone. A refused path or a
 * missing file becomes an HttpError 403/404 for the app's error pages; the path itself stays
 * out of the client's answer.
 */
export function writeFile(
  sink: ResponseSink,
  typeLine: string,
  file: PartialContent,
  request: HttpRequest | undefined,
  hooks: ResultHooks | undefined,
): void {
  const fileRequest = request === undefined ? GET_ONLY : fileRequestOf(request);
  file.prepare(fileRequest, typeLine === '' ? BINARY_LINE : typeLine).then(
    (answer) => {
      if (answer.chunks !== null) {
        settle(sink.streamFixed(answer.status, answer.headerLines, answer.length, answer.chunks));
      } else if (answer.body !== null || answer.length === 0) {
        sink.send(answer.status, answer.headerLines, answer.body);
      } else {
        // HEAD: the head with the Content-Length a GET would have, and no body.
        settle(sink.streamFixed(answer.status, answer.headerLines, answer.length, EMPTY));
      }
    },
    (error: unknown) => {
      const failure =
        error instanceof ResponsesError && (error.status === 403 || error.status === 404)
          ? new HttpError(error.status, error.status === 403 ? 'Forbidden' : 'Not Found')
          : error;
      if (request !== undefined && hooks !== undefined) {
        hooks.respondError(request, sink, failure);
      } else {
        const status = failure instanceof HttpError ? failure.status : 500;
        sink.send(
          status,
          TEXT_LINE,
          failure instanceof HttpError ? failure.message : 'Internal Server Error',
        );
      }
    },
  );
}

/** The transport settles stream promises itself; a rejection here would be a transport bug worth seeing. */
function settle(written: Promise<void>): void {
  written.catch((error: unknown) =>
    process.emitWarning(error instanceof Error ? error : new Error(String(error))),
  );
}
