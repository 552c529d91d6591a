/**
 * Drill target with `processes` > 1: bbwebservice built to dist/, run as a node:cluster primary
 * and its children (cluster.fork re-runs this file, so the children build the same app).
 *
 * `node cluster-server.mjs '<spec JSON>'`, spec `{ "processes": 2, "drainDelay": 0,
 * "handlerDelayMs": 0, "config": {...} }`. One controller: `GET /work` waits `handlerDelayMs`
 * and answers `<process index> <pid>`. Two tasks that run at start and print one line each:
 * `once` (the default placement: process 1 only) and `every` (`everyProcess: true`). The
 * controller prints `{"constructed":INDEX,"pid":P}` when the app builds it.
 *
 * The primary prints `{"port":N}` once every child is listening, then
 * `{"children":[{"index":1,"pid":P},...]}`. Each child prints `{"handled":N,"index":I,"pid":P}`
 * when it exits (a SIGKILLed child prints nothing). The log goes to stdout as JSON lines.
 *
 * Failure modes: `"failInChild": true` throws in every child before it listens (the primary's
 * start() rejects: it prints `{"startError":CODE}` and exits 1); `"crashAfterMs": N` makes process
 * 2 exit with code 3 N ms after it is ready, every time it is started (a crash loop).
 */
import fs from 'node:fs';

const spec = JSON.parse(process.argv[2] ?? '{}');
const bbws = await import(new URL('../../../packages/bbwebservice/dist/bundle/index.js', import.meta.url));
const handlerDelayMs = spec.handlerDelayMs ?? 0;
let handled = 0;

// Decorators applied by hand: this file is plain JavaScript.
class WorkController {
  constructor(app) {
    this.app = app;
    fs.writeSync(1, `${JSON.stringify({ constructed: app.processIndex, pid: process.pid })}\n`);
  }
  async work() {
    handled++;
    if (handlerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, handlerDelayMs));
    return `${this.app.processIndex} ${process.pid}`;
  }
  once() {
    fs.writeSync(1, `${JSON.stringify({ task: 'once', index: this.app.processIndex, pid: process.pid })}\n`);
  }
  every() {
    fs.writeSync(1, `${JSON.stringify({ task: 'every', index: this.app.processIndex, pid: process.pid })}\n`);
  }
}
const proto = WorkController.prototype;
const method = (name) => Object.getOwnPropertyDescriptor(proto, name);
bbws.Get('/work')(proto, 'work', method('work'));
bbws.Task({ seconds: 3600, runOnStart: true })(proto, 'once', method('once'));
bbws.Task({ seconds: 3600, runOnStart: true, everyProcess: true })(proto, 'every', method('every'));
bbws.inject(bbws.APP)(WorkController, undefined, 0);
bbws.Controller('::/')(WorkController);

const app = bbws.createApp({
  controllers: [WorkController],
  config: {
    server: [{ ip: '127.0.0.1', port: 0 }],
    processes: spec.processes ?? 2,
    drain_delay: spec.drainDelay ?? 0,
    log: { console: true, pretty: false, levels: ['info', 'warning', 'error', 'critical'] },
    ...spec.config,
  },
  env: {},
});

if (app.processIndex > 0) {
  // Written synchronously: the app calls process.exit() right after its stop.
  process.on('exit', () =>
    fs.writeSync(1, `${JSON.stringify({ handled, index: app.processIndex, pid: process.pid })}\n`),
  );
}
if (spec.failInChild === true && app.processIndex > 0) throw new Error('this child fails at start');
// `"stopAfterMs": N`: the primary calls app.stop() N ms into its start (before its children are up).
if (spec.stopAfterMs !== undefined && app.processIndex === 0) setTimeout(() => app.stop(), spec.stopAfterMs);
try {
  await app.start();
} catch (error) {
  fs.writeSync(1, `${JSON.stringify({ startError: error.code })}\n`);
  process.exit(1);
}
if (spec.crashAfterMs !== undefined && app.processIndex === 2)
  setTimeout(() => process.exit(3), spec.crashAfterMs);
if (app.processIndex === 0) {
  fs.writeSync(1, `${JSON.stringify({ port: app.addresses[0].port })}\n`);
  fs.writeSync(
    1,
    `${JSON.stringify({ children: app.children.map(({ index, pid }) => ({ index, pid })) })}\n`,
  );
}
