import { spawn } from 'node:child_process';

/**
 * Opens `count` idle keep-alive clients to 127.0.0.1:`port` in a child process (each sends
 * `request` and reads its answer), runs `whileOpen` once all are answered and connected, then
 * stops the child by its stdin and waits for it to exit. Fails, naming what the child printed,
 * when the clients do not all get their answer.
 */
export async function withIdleClients<T>(
  request: string,
  port: number,
  count: number,
  whileOpen: () => Promise<T>,
): Promise<T> {
  const child = spawn(process.execPath, ['-e', idleClientsScript(request), String(port), String(count)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      child.once('exit', () => resolve('exited'));
    });
    if (line !== 'ready')
      throw new Error(`${count} idle clients to port ${port} did not all connect: ${line}`);
    return await whileOpen();
  } finally {
    child.stdin.write('bye');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/**
 * The source of a child process that opens `count` keep-alive clients to 127.0.0.1:`port`
 * (its two arguments), sends `request` on each, reads the answer and stays connected, idle.
 * It prints `ready` once every client has its answer and exits when its stdin gets a line.
 * The clients live in their own process: their sockets are neither in the test's heap nor
 * under its open-file limit.
 */
function idleClientsScript(request: string): string {
  return `
const net = require('node:net');
const [port, count] = process.argv.slice(1).map(Number);
const request = ${JSON.stringify(request)};
let answered = 0;
const sockets = [];
function open(i) {
  if (i >= count) return;
  const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
  socket.once('data', () => {
    if (++answered === count) process.stdout.write('ready\\n');
  });
  socket.on('error', (e) => { process.stdout.write('error ' + e.message + '\\n'); process.exit(1); });
  sockets.push(socket);
  // A few hundred connects in flight at a time: the listen backlog stays small.
  if (i % 200 === 199) setTimeout(() => open(i + 1), 5); else open(i + 1);
}
open(0);
process.stdin.on('data', () => process.exit(0));
`;
}
