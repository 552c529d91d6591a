#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
// Moved into the suite: `node apps/bench/dist/run.js instructions` (apps/bench/src/instructions.ts;
// for two builds side by side, `compare --instructions`). This wrapper keeps the old command line
// that docs quote:
//   node tools/perf/callgrind-requests.mjs ROOT PEER SCENARIO [WARMUP] [REQUESTS]
// PEER: bbwebservice, fastify, node:http, raw net or transport (a server module of ROOT's
// apps/bench/dist/servers); SCENARIO: repeated or browser. PERF_PORT (5983) and
// PERF_CONNECTIONS (1) as before. Prints the suite's JSON line (`perRequest`).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUN = fileURLToPath(new URL('../../apps/bench/dist/run.js', import.meta.url));
const FILES = {
  bbwebservice: 'ours.js',
  fastify: 'fastify.js',
  'node:http': 'node-http.js',
  'raw net': 'raw-net.js',
  transport: 'transport-only.js',
};
const [root = '.', peer = 'bbwebservice', scenario = 'repeated', warmup = '20000', requests = '20000'] =
  process.argv.slice(2);
const file = FILES[peer];
if (file === undefined) throw new Error(`unknown peer ${peer}; known: ${Object.keys(FILES).join(', ')}`);
const entry = join(resolve(root), 'apps/bench/dist/servers', file);
if (!existsSync(entry)) throw new Error(`${entry} is missing: build ${root} first`);
const port = process.env.PERF_PORT ?? '5983';
const args = [
  'instructions',
  '--port',
  port,
  '--kind',
  scenario === 'browser' ? 'browser-like' : 'plaintext',
];
args.push('--warmup', warmup, '--requests', requests, '--connections', process.env.PERF_CONNECTIONS ?? '1');
args.push('--', process.execPath, entry);
process.exit(spawnSync(process.execPath, [RUN, ...args], { stdio: 'inherit' }).status ?? 1);
