/**
 * A server of the suite under the analysis tools' control (spawned with an IPC channel):
 *
 *   node [--expose-gc] [--cpu-prof] dist/analysis/controlled-server.js ENTRY PORT
 *
 * Imports ENTRY (a server module of some build, which listens on BENCH_PORT), sends `ready`,
 * and answers `gc` (two collections, with --expose-gc), `memory` (process.memoryUsage()),
 * `{ snapshot: FILE }` (writes a heap snapshot) and `exit` (a clean exit, so --cpu-prof writes).
 */
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';

const [entry, port] = process.argv.slice(2);
if (entry === undefined || port === undefined) throw new Error('usage: controlled-server.js ENTRY PORT');
process.env.BENCH_PORT = port;
await import(pathToFileURL(entry).href);

process.on('message', (message: unknown) => {
  if (message === 'gc') {
    globalThis.gc?.();
    globalThis.gc?.();
    process.send?.({ gc: true });
  } else if (message === 'memory') {
    process.send?.({ memory: process.memoryUsage() });
  } else if (message === 'exit') {
    process.exit(0);
  } else if (typeof message === 'object' && message !== null && 'snapshot' in message) {
    globalThis.gc?.();
    process.send?.({ snapshot: v8.writeHeapSnapshot(String(message.snapshot)) });
  }
});
process.send?.('ready');
