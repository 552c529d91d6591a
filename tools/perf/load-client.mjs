// A fixed number of keep-alive requests, for instruction counts (the count, not a duration,
// is what a callgrind run needs):
//   node tools/perf/load-client.mjs PORT CONNECTIONS REQUESTS SCENARIO
// Each connection sends its next request when the answer to the last one is complete.
// SCENARIO: `repeated` (one GET /hello head) or `browser` (~650-byte heads whose query and
// cookie change on every request, like apps/bench/wrk/browser-like.lua). Prints the count answered.
import net from 'node:net';
import { requestHead } from './request-heads.mjs';

const [port, connections, total, scenario] = process.argv.slice(2);
const TOTAL = Number(total);
let sent = 0;
let answered = 0;

const head = (n) => requestHead(scenario, n);

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
