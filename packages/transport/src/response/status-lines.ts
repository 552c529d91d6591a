import { STATUS_CODES } from 'node:http';

/** Filled on first use of each status: most of 100-599 are never sent. */
const statusLines: (string | undefined)[] = [];

/** `HTTP/1.1 200 OK\r\n` for a status code, built once, on first use. */
export function statusLine(status: number): string {
  const line = statusLines[status];
  if (line !== undefined) return line;
  if (status < 100 || status > 599 || !Number.isInteger(status)) return `HTTP/1.1 ${status} Unknown\r\n`;
  const built = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
  statusLines[status] = built;
  return built;
}
