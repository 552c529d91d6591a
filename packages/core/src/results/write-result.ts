import { Dynamic, PartialContent, Redirect, Response, ResponsesError, StreamResponse } from '@bbws/responses';
import type { HttpRequest, ResponseSink } from '@bbws/transport';
import { isHttpToken } from '../internal/http-token.js';
import type { ResultHooks } from './result-hooks.js';
import { writeBody } from './write-body.js';
import { writeFile } from './write-file.js';
import { isAsyncIterable, toStreamResponse, writeStream } from './write-stream.js';

export type { ResultHooks } from './result-hooks.js';

const JSON_LINE = 'Content-Type: application/json; charset=utf-8\r\n';
const TEXT_LINE = 'Content-Type: text/plain; charset=utf-8\r\n';
const BINARY_LINE = 'Content-Type: application/octet-stream\r\n';
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Hot: writes what a handler returned, as calls on the transport's sink.
 *
 * | result | answer |
 * |---|---|
 * | string | 200, the route's type (TEXT on dynamic routes) |
 * | Uint8Array / Buffer | 200, the route's type (BINARY on dynamic routes) |
 * | `undefined` / `null` | 204, no body |
 * | Response | its status, headers, cookies; its type or the route's |
 * | Redirect | its status and Location, no body |
 * | Dynamic | 200 with its own type |
 * | PartialContent | the file: 200/206/304/412/416, streamed from the descriptor |
 * | StreamResponse, any async iterable | chunked, flushed per chunk, stream limits applied |
 * | any other value | 200, JSON (the route's type, JSON on dynamic routes); a function or symbol throws |
 *
 * @throws ResponsesError `BBWS_ERR_RESPONSE_BODY` for a value with no JSON form, and the
 *   StreamResponse errors of {@link StreamResponse.open}; the caller answers them as a 500
 *
 * Ordinary bodies are compressed per `Accept-Encoding`; files and streams never are.
 * `request` and `hooks` are absent only for callers that have no request (then no
 * compression, ranges or conditionals apply).
 * @param typeLine the route's prebuilt `Content-Type` line, `''` for dynamic routes
 * @see docs/responses.md
 */
export function writeResult(
  sink: ResponseSink,
  typeLine: string,
  result: unknown,
  request?: HttpRequest,
  hooks?: ResultHooks,
): void {
  if (typeof result === 'string') {
    writeBody(sink, 200, typeLine === '' ? TEXT_LINE : typeLine, '', result, request, hooks);
  } else if (result === undefined || result === null) {
    sink.send(204, '', null);
  } else if (result instanceof Uint8Array) {
    writeBody(sink, 200, typeLine === '' ? BINARY_LINE : typeLine, '', result, request, hooks);
  } else if (result instanceof Response) {
    const body = result.body;
    const type =
      result.typeLine !== '' ? result.typeLine : typeLine !== '' ? typeLine : defaultTypeLine(body);
    writeBody(sink, result.status, type, result.headerLines, body, request, hooks, result.isEncoded);
  } else if (result instanceof Redirect) {
    sink.send(result.status, result.headerLine, null);
  } else if (result instanceof Dynamic) {
    writeBody(sink, 200, result.typeLine, '', result.content, request, hooks);
  } else if (result instanceof PartialContent) {
    writeFile(sink, typeLine, result, request, hooks);
  } else if (result instanceof StreamResponse) {
    writeStream(sink, typeLine, result, request, hooks);
  } else if (typeof result === 'object' && isAsyncIterable(result)) {
    writeStream(sink, typeLine, toStreamResponse(result), request, hooks);
  } else {
    const json = JSON.stringify(result) as string | undefined;
    if (json === undefined) {
      throw new ResponsesError(
        'BBWS_ERR_RESPONSE_BODY',
        `a handler returned a ${typeof result}, which has no JSON form`,
      );
    }
    writeBody(sink, 200, typeLine === '' ? JSON_LINE : typeLine, '', json, request, hooks);
  }
}

/** The type of a Response body on a dynamic route when the Response names none. */
function defaultTypeLine(body: string | Uint8Array | null): string {
  return body === null ? '' : typeof body === 'string' ? TEXT_LINE : BINARY_LINE;
}

const FRAMING_HEADERS = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
]);

/**
 * One `Name: value\r\n` line. Refuses names that are not tokens and values with CR, LF or
 * NUL, and framing headers (Content-Length, Transfer-Encoding, Connection, ...), so a handler
 * cannot split the response (RFC 9110 §5.1, §5.5; RFC 9112 §6).
 * @throws ResponsesError `BBWS_ERR_RESPONSE_HEADER`
 */
export function headerLine(name: string, value: string): string {
  if (!isHttpToken(name)) {
    throw new ResponsesError(
      'BBWS_ERR_RESPONSE_HEADER',
      `response header name ${JSON.stringify(name)} is not a token`,
      500,
    );
  }
  if (!FIELD_VALUE.test(value)) {
    throw new ResponsesError(
      'BBWS_ERR_RESPONSE_HEADER',
      `response header ${name} has a control character in its value ${JSON.stringify(value)}`,
      500,
    );
  }
  if (FRAMING_HEADERS.has(name.toLowerCase())) {
    // The transport writes the framing; a second Content-Length would split the response.
    throw new ResponsesError(
      'BBWS_ERR_RESPONSE_HEADER',
      `response header ${name} is set by the transport (message framing) and cannot be set by a handler`,
      500,
    );
  }
  return `${name}: ${value}\r\n`;
}
