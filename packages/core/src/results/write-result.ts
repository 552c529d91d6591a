import { Dynamic, Redirect, Response } from '@bbws/responses';
import type { ResponseSink } from '@bbws/transport';
import { CoreError } from '../errors.js';

const JSON_TYPE = 'Content-Type: application/json; charset=utf-8\r\n';
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Writes what a handler returned. `typeLine` is the route's prebuilt `Content-Type` line
 * (`''` for dynamic routes).
 */
export function writeResult(sink: ResponseSink, typeLine: string, result: unknown): void {
  if (typeof result === 'string' || result instanceof Uint8Array) {
    sink.send(200, typeLine, result);
  } else if (result === undefined || result === null) {
    sink.send(204, '', null);
  } else if (result instanceof Response) {
    const type = result.mimeType === null ? typeLine : headerLine('Content-Type', result.mimeType);
    sink.send(result.status, type + headerLines(result.headers), result.body);
  } else if (result instanceof Redirect) {
    sink.send(result.status, headerLine('Location', result.location), null);
  } else if (result instanceof Dynamic) {
    sink.send(200, headerLine('Content-Type', result.mimeType), result.content);
  } else {
    sink.send(200, typeLine === '' ? JSON_TYPE : typeLine, JSON.stringify(result));
  }
}

/**
 * One `Name: value\r\n` line. Refuses names that are not tokens and values with CR, LF or
 * NUL, so a handler cannot split the response (RFC 9110 §5.1, §5.5).
 * @throws CoreError `BBWS_ERR_RESPONSE_HEADER`
 */
export function headerLine(name: string, value: string): string {
  if (!TOKEN.test(name)) {
    throw new CoreError(
      'BBWS_ERR_RESPONSE_HEADER',
      `response header name ${JSON.stringify(name)} is not a token`,
    );
  }
  if (!FIELD_VALUE.test(value)) {
    throw new CoreError(
      'BBWS_ERR_RESPONSE_HEADER',
      `response header ${name} has a control character in its value ${JSON.stringify(value)}`,
    );
  }
  return `${name}: ${value}\r\n`;
}

function headerLines(headers: ReadonlyArray<readonly [string, string]>): string {
  let lines = '';
  for (const [name, value] of headers) lines += headerLine(name, value);
  return lines;
}
