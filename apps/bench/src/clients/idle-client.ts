/**
 * The idle keep-alive client: opens CONNECTIONS connections, sends one `GET /hello` on each and
 * reads its answer, then leaves every connection open and idle.
 *
 *   node dist/clients/idle-client.js PORT CONNECTIONS
 *
 * Prints `OPEN <json>` once every connection got its answer, then `STILL <open>` whenever
 * stdin gets a line, and exits when stdin closes.
 */
import net from 'node:net';

const [port, connections] = process.argv.slice(2).map(Number) as [number, number];
const REQUEST = 'GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
const sockets: net.Socket[] = [];
let closed = 0;

function openOne(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    sockets.push(socket);
    let head = '';
    socket.once('connect', () => socket.write(REQUEST));
    socket.on('error', reject);
    socket.once('close', () => closed++);
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (head.includes('Hello from bbwebservice!')) {
        if (!head.startsWith('HTTP/1.1 200')) reject(new Error(`GET /hello answered ${head.slice(0, 12)}`));
        else resolve();
      }
    });
  });
}

const started = performance.now();
for (let i = 0; i < connections; i += 200) {
  const batch = [];
  for (let j = i; j < Math.min(connections, i + 200); j++) batch.push(openOne());
  await Promise.all(batch);
}
process.stdout.write(
  `OPEN ${JSON.stringify({ opened: sockets.length, open: sockets.length - closed, ms: performance.now() - started })}\n`,
);
process.stdin.setEncoding('utf8');
process.stdin.on('data', () => process.stdout.write(`STILL ${sockets.length - closed}\n`));
process.stdin.once('end', () => process.exit(0));
