// Serves one benchmark peer of a build: node tools/perf/serve.mjs ROOT PEER PORT
// ROOT is a checkout whose apps/bench is built (this worktree, or a detached one of main).
// Sends 'ready' over IPC when listening; answers 'gc' (with --expose-gc), 'memory' and
// { snapshot: FILE } (writes a heap snapshot).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';

const [root, peer, port] = process.argv.slice(2);
// Only the peer's own module is loaded, so its RSS is not inflated by the other peers' imports.
const FILES = {
  bbwebservice: ['bbwebservice-peer.js', 'startBbwebservice'],
  fastify: ['fastify-peer.js', 'startFastify'],
  'node:http': ['node-http-peer.js', 'startNodeHttp'],
  'raw net': ['raw-net-peer.js', 'startRawNet'],
};
const SERVERS = {
  bbwebservice: 'ours.js',
  fastify: 'fastify.js',
  'node:http': 'node-http.js',
  'raw net': 'raw-net.js',
};
if (peer === 'transport') {
  // The transport alone: an HttpServer whose handler answers the same text, no app.
  const { HttpServer } = await import(
    pathToFileURL(path.join(root, 'packages/transport/dist/index.js')).href
  );
  const server = new HttpServer({
    handler: (_request, sink) =>
      sink.send(200, 'Content-Type: text/plain; charset=utf-8\r\n', 'Hello from bbwebservice!'),
    listeners: [{ ip: '127.0.0.1', port: Number(port) }],
    limits: { keepAliveMaxRequests: 0 },
  });
  await server.listen();
} else if (existsSync(path.join(root, 'apps/bench/dist/servers'))) {
  // The suite's layout (`pnpm bench`): one entry module per server, listening on BENCH_PORT.
  const file = SERVERS[peer];
  if (file === undefined)
    throw new Error(`unknown peer ${peer}; known: transport, ${Object.keys(SERVERS).join(', ')}`);
  process.env.BENCH_PORT = String(port);
  await import(pathToFileURL(path.join(root, 'apps/bench/dist/servers', file)).href);
} else {
  // Builds from before the suite: apps/bench/dist/peers.
  const file = FILES[peer];
  if (file === undefined)
    throw new Error(`unknown peer ${peer}; known: transport, ${Object.keys(FILES).join(', ')}`);
  const module = await import(pathToFileURL(path.join(root, 'apps/bench/dist/peers', file[0])).href);
  await module[file[1]](Number(port));
}
process.on('message', (message) => {
  if (message === 'gc') {
    globalThis.gc?.();
    globalThis.gc?.();
    process.send?.({ gc: true });
  } else if (typeof message === 'object' && message !== null && 'snapshot' in message) {
    globalThis.gc?.();
    const file = v8.writeHeapSnapshot(message.snapshot);
    process.send?.({ snapshot: file });
  } else if (message === 'exit') {
    // A clean exit, so --cpu-prof writes its profile.
    process.exit(0);
  } else if (message === 'memory') {
    process.send?.({ memory: process.memoryUsage() });
  }
});
process.send?.('ready');
