// The target of run.sh: the quickstart (GET /hello) with `processes` from argv[2] on port
// argv[3], log off, no keep-alive request limit (as the other benchmark peers). Prints `ready`
// once, from the primary (or the one process), when every process listens.
import fs from 'node:fs';

const { quickstartApp } = await import(new URL('../../quickstart/dist/app.js', import.meta.url));
const processes = Number(process.argv[2]);
const app = quickstartApp({
  server: [{ ip: '127.0.0.1', port: Number(process.argv[3]) }],
  processes,
  log: { console: false },
  keep_alive_max_requests: 0,
});
await app.start();
if (app.processIndex === 0 || processes === 1) fs.writeSync(1, 'ready\n');
