/** Outcome of feeding bytes to {@link parseRequestHead}. */
export type HeadResult =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'error'; readonly status: number; readonly reason: string }
  | {
      readonly kind: 'head';
      readonly method: string;
      readonly target: string;
      readonly versionMinor: 0 | 1;
      readonly headers: string[];
      /** Offset of the first byte after the head. */
      readonly end: number;
    };

const INCOMPLETE: HeadResult = Object.freeze({ kind: 'incomplete' });
const CRLFCRLF = Buffer.from('\r\n\r\n');

/**
 * Parses a request head at the start of `buf`. Skeleton: request line and `name: value` lines.
 */
export function parseRequestHead(buf: Buffer, maxHeaderBytes: number): HeadResult {
  const end = buf.indexOf(CRLFCRLF);
  if (end === -1) {
    return buf.length > maxHeaderBytes ? error(431, 'header block too large') : INCOMPLETE;
  }
  if (end > maxHeaderBytes) return error(431, 'header block too large');
  const lines = buf.toString('latin1', 0, end).split('\r\n');
  const requestLine = lines[0] ?? '';
  const sp1 = requestLine.indexOf(' ');
  const sp2 = requestLine.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 === -1) return error(400, 'malformed request line');
  const method = requestLine.slice(0, sp1);
  const target = requestLine.slice(sp1 + 1, sp2);
  const version = requestLine.slice(sp2 + 1);
  let versionMinor: 0 | 1;
  if (version === 'HTTP/1.1') versionMinor = 1;
  else if (version === 'HTTP/1.0') versionMinor = 0;
  else return error(version.startsWith('HTTP/') ? 505 : 400, 'unsupported HTTP version');
  const headers: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon <= 0) return error(400, 'malformed header line');
    headers.push(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { kind: 'head', method, target, versionMinor, headers, end: end + 4 };
}

function error(status: number, reason: string): HeadResult {
  return { kind: 'error', status, reason };
}
