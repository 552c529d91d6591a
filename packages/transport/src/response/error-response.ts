import { dateLine } from './date-header.js';
import { statusLine } from './status-lines.js';

const bodies: string[] = [];

/**
 * A complete response the transport answers on its own (400, 408, 413, 503, ...): a short
 * text body and `Connection: close`, since each of these ends the connection.
 */
export function errorResponse(status: number, extraHeaderLines = ''): string {
  let body = bodies[status];
  if (body === undefined) {
    body = statusLine(status).slice(13, -2);
    bodies[status] = body;
  }
  return `${statusLine(status)}${dateLine()}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n${extraHeaderLines}Connection: close\r\n\r\n${body}`;
}
