// A fixed number of keep-alive requests, for instruction counts (the count, not a duration,
// is what a callgrind run needs):
//   node tools/perf/load-client.mjs PORT CONNECTIONS REQUESTS SCENARIO
// Each connection sends its next request when the answer to the last one is complete.
// SCENARIO: `repeated` (one GET /hello head) or `browser` (~650-byte heads whose query and
// cookie change on every request, like apps/bench/wrk/browser-like.lua). Prints the count answered.
import net from 'node:net';

const [port, connections, total, scenario] = process.argv.slice(2);
const TOTAL = Number(total);
let sent = 0;
let answered = 0;

function head(n) {
  if (scenario === 'repeated') return 'GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  const k = n * 7919;
  return (
    `GET /hello?q=search+term+${n}&page=${n % 50}&sort=relevance HTTP/1.1\r\n` +
    'Host: 127.0.0.1:5980\r\n' +
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36\r\n' +
    'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n' +
    'Accept-Language: en-US,en;q=0.9,de;q=0.7\r\n' +
    'Accept-Encoding: gzip, deflate, br\r\n' +
    'Referer: http://127.0.0.1/search\r\n' +
    `Cookie: session=s${k}a8f3c2d1e0b9; theme=dark; _ga=GA1.1.${k}.1732900000; consent=1\r\n` +
    'Sec-Fetch-Dest: document\r\n' +
    'Sec-Fetch-Mode: navigate\r\n' +
    'Sec-Fetch-Site: same-origin\r\n' +
    'Upgrade-Insecure-Requests: 1\r\n' +
    'Cache-Control: max-age=0\r\n\r\n'
  );
}

function open() {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let pending = Buffer.alloc(0);
    const sendNext = () => {
      if (sent >= TOTAL) {
        socket.end();
        resolve();
        return;
      }
      socket.write(head(++sent));
    };
    socket.on('connect', sendNext);
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end === -1) return;
        const headText = pending.toString('latin1', 0, end);
        if (!headText.startsWith('HTTP/1.1 200')) {
          reject(new Error(`answer: ${headText}`));
          return;
        }
        const length = Number(/content-length: (\d+)/i.exec(headText)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        pending = pending.subarray(end + 4 + length);
        answered++;
        sendNext();
      }
    });
    socket.on('error', reject);
  });
}

await Promise.all(Array.from({ length: Number(connections) }, open));
process.stdout.write(`${answered}\n`);
