/**
 * Drill target behind a proxy: bbwebservice built to dist/ in a process of its own.
 *
 * `node proxied-app.mjs '<spec JSON>'` with `{ "config": {...} }` (seed keys; `server` names
 * the listener). Routes: `GET /hello` (text), `GET /who` (JSON: the client address, port,
 * protocol and host the app sees), and `GET /readyz` only when `spec.readyz` is true (for a
 * build without the built-in one). SIGTERM runs the app's graceful stop (its default signal
 * handling), then the process exits. Prints `{"port":N}` once it listens and `{"handled":N}`
 * at exit.
 */
import fs from 'node:fs';

const spec = JSON.parse(process.argv[2] ?? '{}');
let handled = 0;
process.on('exit', () => fs.writeSync(1, `${JSON.stringify({ handled })}\n`));

const bbws = await import(new URL('../../../packages/bbwebservice/dist/bundle/index.js', import.meta.url));

// Decorators applied by hand: this file is plain JavaScript.
class ProxiedController {
  hello() {
    handled++;
    return 'Hello from bbwebservice!';
  }
  who(ctx) {
    handled++;
    return { address: ctx.remoteAddress, port: ctx.remotePort, protocol: ctx.protocol, host: ctx.host };
  }
  readyz() {
    return 'ready';
  }
}
const proto = ProxiedController.prototype;
const route = (name, path, type) =>
  bbws.Get(path, { type })(proto, name, Object.getOwnPropertyDescriptor(proto, name));
route('hello', '/hello', bbws.MIME_TYPE.TEXT);
bbws.Ctx()(proto, 'who', 0);
route('who', '/who', bbws.MIME_TYPE.JSON);
if (spec.readyz === true) route('readyz', '/readyz', bbws.MIME_TYPE.TEXT);
bbws.Controller('::')(ProxiedController);

const app = bbws.createApp({
  controllers: [ProxiedController],
  config: { server: [{ ip: '127.0.0.1', port: 0 }], log: { console: false }, ...spec.config },
  env: {},
});
await app.start();
console.log(JSON.stringify({ port: app.addresses[0].port }));
