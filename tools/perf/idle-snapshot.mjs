// Heap snapshot of a server holding N idle keep-alive connections:
//   node tools/perf/idle-snapshot.mjs ROOT PEER N OUT.heapsnapshot
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PORT = Number(process.env.PERF_PORT ?? 5982);
const [root, peer, count, out] = process.argv.slice(2);
const CLIENT = `
const net = require('node:net');
const [port, count] = process.argv.slice(1).map(Number);
let answered = 0;
const sockets = [];
for (let i = 0; i < count; i++) {
  const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /hello HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nUser-Agent: idle-client\\r\\nAccept: */*\\r\\n\\r\\n'));
  socket.once('data', () => { if (++answered === count) process.stdout.write('ready\\n'); });
  sockets.push(socket);
}
process.stdin.on('data', () => process.exit(0));
`;
const child = spawn(
  process.execPath,
  ['--expose-gc', path.join(HERE, 'serve.mjs'), path.resolve(root), peer, String(PORT)],
  {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  },
);
await new Promise((resolve) => child.once('message', resolve));
const load = spawn(process.execPath, ['-e', CLIENT, String(PORT), count], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
await new Promise((resolve) => load.stdout.once('data', resolve));
await sleep(1000);
await new Promise((resolve) => {
  child.on('message', (m) => m?.snapshot && resolve());
  child.send({ snapshot: path.resolve(out) });
});
load.stdin.write('bye');
child.kill('SIGKILL');
