/**
 * A fixed number of keep-alive requests, for instruction counts (a callgrind run needs a count,
 * not a duration). Each connection sends its next request when the answer to its last one is
 * complete, so with one connection every request is one read and one write on the server.
 */
import net from 'node:net';

/** The request heads of the instruction counts, by scenario of the suite. */
export type HeadKind = 'plaintext' | 'json-param' | 'browser-like';
export const HEAD_KINDS: readonly HeadKind[] = ['plaintext', 'json-param', 'browser-like'];
/** A scenario's heads, or a path: one repeated `GET <path>`. */
export type RequestKind = HeadKind | `/${string}`;

const BROWSER_FIXED =
  'Host: 127.0.0.1\r\n' +
  'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\r\n' +
  'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n' +
  'Accept-Language: en-US,en;q=0.9,de;q=0.8\r\n' +
  'Accept-Encoding: gzip, deflate, br, zstd\r\n' +
  'Referer: http://127.0.0.1/index.html\r\n' +
  'Sec-Fetch-Dest: document\r\n' +
  'Sec-Fetch-Mode: navigate\r\n' +
  'Sec-Fetch-Site: same-origin\r\n' +
  'Upgrade-Insecure-Requests: 1\r\n';

/**
 * The Nth request head of a scenario: `plaintext` is one repeated `GET /hello`, `json-param`
 * one repeated `GET /users/12345`, `browser-like` the heads of `wrk/browser-like.lua` (about
 * 650 bytes, the query and the cookie change with N).
 */
export function requestHead(kind: RequestKind, n: number): string {
  if (kind.startsWith('/')) return `GET ${kind} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
  if (kind === 'plaintext') return 'GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  if (kind === 'json-param') return 'GET /users/12345 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  const id = n * 7919;
  const session = `${(id % 4294967296).toString(16).padStart(8, '0')}${((id * 2654435761) % 4294967296).toString(16).padStart(8, '0')}`;
  return (
    `GET /hello?page=${n % 50}&q=item${id}&utm_source=newsletter HTTP/1.1\r\n${BROWSER_FIXED}` +
    `Cookie: session=${session}; theme=dark; consent=analytics:0,ads:0; cart=${n % 97}; last_seen=${1764500000 + n}; lang=en-US; tz=Europe%2FBerlin\r\n\r\n`
  );
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** One connection's share: sequential requests until `next()` says none is left. */
function lane(port: number, kind: RequestKind, next: () => number | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let pending: Buffer = Buffer.alloc(0);
    let answered = 0;
    const sendNext = () => {
      const n = next();
      if (n === null) {
        socket.end();
        resolve(answered);
      } else socket.write(requestHead(kind, n), 'latin1');
    };
    socket.setNoDelay(true);
    socket.on('connect', sendNext);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf(HEAD_END);
        if (end === -1) return;
        const head = pending.toString('latin1', 0, end);
        if (!head.startsWith('HTTP/1.1 200')) {
          socket.destroy();
          reject(new Error(`expected 200, got: ${head.slice(0, 60)}`));
          return;
        }
        const length = /\r\ncontent-length: *(\d+)/i.exec(head);
        if (length === null) {
          socket.destroy();
          reject(new Error('an answer without Content-Length'));
          return;
        }
        const total = end + 4 + Number(length[1]);
        if (pending.length < total) return;
        pending = pending.subarray(total);
        answered++;
        sendNext();
      }
    });
    socket.on('error', reject);
  });
}

/** Sends `count` requests of `kind` over `connections` connections; resolves with the answers (all 200). */
export async function sendRequests(
  port: number,
  kind: RequestKind,
  count: number,
  connections = 1,
  firstN = 1,
): Promise<number> {
  let sent = 0;
  const next = () => (sent < count ? firstN + sent++ : null);
  const answered = await Promise.all(Array.from({ length: connections }, () => lane(port, kind, next)));
  return answered.reduce((sum, n) => sum + n, 0);
}
