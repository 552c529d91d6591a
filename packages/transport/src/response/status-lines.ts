import { STATUS_CODES } from 'node:http';

const statusLines: string[] = [];
for (let code = 100; code < 600; code++) {
  statusLines[code] = `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Unknown'}\r\n`;
}

/** `HTTP/1.1 200 OK\r\n` for a status code, built once at load. */
export function statusLine(status: number): string {
  return statusLines[status] ?? `HTTP/1.1 ${status} Unknown\r\n`;
}
