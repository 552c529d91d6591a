#!/usr/bin/env node
// Where the quickstart's start goes: runs it under `node --cpu-prof`, waits for the first 200
// to GET /hello, stops it with SIGINT (the app exits 0, so the profile is written) and prints
// the CPU time per package (self time of the functions whose code lives in it; V8's parse and
// compile of a module are counted to the module that imports it), heaviest first.
//
//   node tools/startup/profile-start.mjs [--keep DIR] [--top N]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const PORT = 5960;

const argv = process.argv.slice(2);
const keep = argv.includes('--keep') ? argv[argv.indexOf('--keep') + 1] : undefined;
const top = argv.includes('--top') ? Number(argv[argv.indexOf('--top') + 1]) : 25;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'bbws-start-prof-'));

function probe() {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: PORT });
    let head = '';
    socket.setEncoding('latin1');
    socket.once('connect', () =>
      socket.write('GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
    );
    socket.on('data', (chunk) => {
      head += chunk;
      if (!head.includes('\r\n')) return;
      socket.destroy();
      resolve(Number(head.slice(9, 12)));
    });
    socket.once('error', () => resolve(undefined));
    socket.once('close', () => resolve(undefined));
  });
}

const child = spawn(
  process.execPath,
  [
    '--cpu-prof',
    '--cpu-prof-dir',
    dir,
    '--cpu-prof-interval',
    '100',
    join(root, 'apps/quickstart/dist/main.js'),
  ],
  {
    cwd: root,
    env: { ...process.env, BBWS_SERVER_0_PORT: String(PORT), BBWS_SERVER_0_IP: '127.0.0.1' },
    stdio: 'ignore',
  },
);
const exited = new Promise((resolve) => child.once('exit', resolve));
let status;
for (let attempt = 0; attempt < 20_000 && status !== 200; attempt++) {
  status = await probe();
  if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 1));
}
child.kill('SIGINT');
await exited;

const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
if (file === undefined) throw new Error(`no profile written in ${dir}`);
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));

/** The package a script URL belongs to: `zod`, `@bbws/core`, `node:internal`, ... */
function packageOf(url) {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return 'node (built-in)';
  const store = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (store !== null) return store[1];
  const ours = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (ours !== null) return ours[1] === 'packages' ? `@bbws/${ours[2]}` : `apps/${ours[2]}`;
  return url;
}

const selfUs = new Map();
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const deltas = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]);
  const frame = node.callFrame;
  const key =
    frame.url === '' && frame.functionName.startsWith('(') ? frame.functionName : packageOf(frame.url);
  selfUs.set(key, (selfUs.get(key) ?? 0) + (deltas[i + 1] ?? 0));
}
const total = [...selfUs.entries()].filter(([k]) => k !== '(idle)').reduce((sum, [, us]) => sum + us, 0);
console.log(`CPU during start to first 200 and stop (idle excluded): ${(total / 1000).toFixed(1)} ms`);
for (const [key, us] of [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${key}`);
}
if (keep === undefined) rmSync(dir, { recursive: true, force: true });
else console.log(`profile kept in ${join(dir, file)}`);
