// RSS of a server holding N idle keep-alive connections, each after one answered GET /hello.
//
//   node tools/perf/idle-memory.mjs [--clients 10000] [--rounds 1] ours=.:bbwebservice http=.:node:http
//
// The server runs pinned to core 0 with --expose-gc; a client process opens the connections
// (200 connects in flight at most), sends one request on each and keeps them open. Printed per
// server: RSS before the clients, RSS with them (2 s after the last answer), and the same after
// two forced GCs, plus V8's heapUsed/external/arrayBuffers with the clients (after GC).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PORT = Number(process.env.PERF_PORT ?? 5981);
const args = process.argv.slice(2);
let clients = 10_000;
let rounds = 1;
const servers = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--clients') clients = Number(args[++i]);
  else if (args[i] === '--rounds') rounds = Number(args[++i]);
  else {
    const [label, spec] = args[i].split(/=(.*)/s);
    const colon = spec.indexOf(':');
    servers.push({ label, root: path.resolve(spec.slice(0, colon)), peer: spec.slice(colon + 1) });
  }
}

const CLIENT = `
const net = require('node:net');
const [port, count] = process.argv.slice(1).map(Number);
let answered = 0;
const sockets = [];
function open(i) {
  if (i >= count) return;
  const socket = net.connect(port, '127.0.0.1', () => {
    socket.write('GET /hello HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nUser-Agent: idle-client\\r\\nAccept: */*\\r\\n\\r\\n');
  });
  socket.once('data', () => { if (++answered === count) process.stdout.write('ready\\n'); });
  socket.on('error', (e) => { process.stdout.write('error ' + e.message + '\\n'); process.exit(1); });
  sockets.push(socket);
  if (i % 200 === 199) setTimeout(() => open(i + 1), 5); else open(i + 1);
}
open(0);
process.stdin.on('data', () => process.exit(0));
`;

const rssMiB = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
};

function ask(child, message, key) {
  return new Promise((resolve) => {
    const onMessage = (reply) => {
      if (reply !== null && typeof reply === 'object' && key in reply) {
        child.off('message', onMessage);
        resolve(reply[key]);
      }
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

async function measure(server) {
  const child = spawn(
    'taskset',
    [
      '-c',
      '0',
      process.execPath,
      '--expose-gc',
      path.join(HERE, 'serve.mjs'),
      server.root,
      server.peer,
      String(PORT),
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  await new Promise((resolve) => child.once('message', resolve));
  // One request first, so lazy set-up (first request paths) is in the baseline.
  await (await fetch(`http://127.0.0.1:${PORT}/hello`)).text();
  await sleep(500);
  const base = rssMiB(child.pid);
  const load = spawn('taskset', ['-c', '1', process.execPath, '-e', CLIENT, String(PORT), String(clients)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve) => {
    load.stdout.on('data', (chunk) => resolve(chunk.toString().trim()));
    load.once('exit', () => resolve('exited'));
  });
  if (line !== 'ready') throw new Error(`client: ${line}`);
  await sleep(2000);
  const withClients = rssMiB(child.pid);
  await ask(child, 'gc', 'gc');
  await sleep(500);
  const afterGc = rssMiB(child.pid);
  const memory = await ask(child, 'memory', 'memory');
  load.stdin.write('bye');
  await new Promise((resolve) => load.once('exit', resolve));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  return { base, withClients, afterGc, memory };
}

const mib = (n) => (n / 1048576).toFixed(1);
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? servers : [...servers].reverse();
  for (const server of order) {
    const r = await measure(server);
    console.log(
      `${server.label.padEnd(8)} ${clients} idle: RSS ${r.withClients.toFixed(1)} MiB (before ${r.base.toFixed(1)}, ` +
        `after GC ${r.afterGc.toFixed(1)}); heapUsed ${mib(r.memory.heapUsed)} heapTotal ${mib(r.memory.heapTotal)} ` +
        `external ${mib(r.memory.external)} arrayBuffers ${mib(r.memory.arrayBuffers)} MiB; ` +
        `${(((r.withClients - r.base) * 1048576) / clients).toFixed(0)} B/connection`,
    );
  }
}
