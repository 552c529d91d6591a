/**
 * The source of a child process that opens `count` keep-alive clients to 127.0.0.1:`port`
 * (its two arguments), sends `request` on each, reads the answer and stays connected, idle.
 * It prints `ready` once every client has its answer and exits when its stdin gets a line.
 * The clients live in their own process: their sockets are neither in the test's heap nor
 * under its open-file limit.
 */
export function idleClientsScript(request: string): string {
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
