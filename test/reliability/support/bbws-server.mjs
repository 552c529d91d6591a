/**
 * Drill target: bbwebservice built to dist/, in a process of its own, so a drill can read its
 * RSS from /proc and see a crash as an exit.
 *
 * `node bbws-server.mjs '<spec JSON>'`, where the spec is one of
 * - `{ "mode": "app", "config": {...}, "countHandled": true, "handlerDelayMs": 0 }`: the
 *   quickstart app (apps/quickstart/dist/app.js) with `config` (seed keys, seconds), started
 *   with the default signal handling: SIGTERM runs `app.stop()`, then the process exits. With
 *   `handlerDelayMs`, a before-hook makes every routed request take that long;
 * - `{ "mode": "upload", "config": {...}, "maxTotalBytes": N }`: an app with one route,
 *   `POST /upload` with `@Upload({ maxTotalBytes })`, that hashes every file part as it
 *   streams in and answers `{ files: [{ name, bytes, sha256 }] }`;
 * - `{ "mode": "echo", "limits": {...}, "server": {...}, "delayMs": 0 }`: the transport's
 *   HttpServer (packages/transport/dist) answering each request with its target after
 *   `delayMs`; SIGTERM runs `server.close()`, then the process exits.
 *
 * Prints `{"port":N}` as one line on stdout once it listens. With `countHandled` it prints
 * `{"handled":N}` when it exits: the requests that reached a handler.
 */
import fs from 'node:fs';

const spec = JSON.parse(process.argv[2] ?? '{}');
let handled = 0;

if (spec.countHandled === true) {
  // Written synchronously: the app's signal handler calls process.exit() right after stop().
  process.on('exit', () => fs.writeSync(1, `${JSON.stringify({ handled })}\n`));
}

if (spec.mode === 'upload') {
  const { createHash } = await import('node:crypto');
  const bbws = await import(new URL('../../../packages/bbwebservice/dist/bundle/index.js', import.meta.url));
  // Decorators applied by hand: this file is plain JavaScript.
  class UploadController {
    async upload(upload) {
      const files = [];
      for await (const part of upload) {
        if (part.kind !== 'file') continue;
        const hash = createHash('sha256');
        let bytes = 0;
        for await (const chunk of part.stream) {
          hash.update(chunk);
          bytes += chunk.length;
        }
        files.push({ name: part.filename, bytes, sha256: hash.digest('hex') });
      }
      return { files };
    }
  }
  const proto = UploadController.prototype;
  bbws.Upload({ maxTotalBytes: spec.maxTotalBytes })(proto, 'upload', 0);
  bbws.Post('/upload', { type: bbws.MIME_TYPE.JSON })(
    proto,
    'upload',
    Object.getOwnPropertyDescriptor(proto, 'upload'),
  );
  bbws.Controller('::/')(UploadController);
  const app = bbws.createApp({
    controllers: [UploadController],
    config: { server: [{ ip: '127.0.0.1', port: 0 }], log: { console: false }, ...spec.config },
    env: {},
  });
  await app.start();
  console.log(JSON.stringify({ port: app.addresses[0].port }));
} else if (spec.mode === 'echo') {
  const { HttpServer } = await import(
    new URL('../../../packages/transport/dist/bundle/index.js', import.meta.url)
  );
  const delayMs = spec.delayMs ?? 0;
  const answer = (request, sink) => {
    handled++;
    sink.send(200, 'Content-Type: text/plain\r\n', request.target);
  };
  const server = new HttpServer({
    handler: delayMs > 0 ? (request, sink) => setTimeout(answer, delayMs, request, sink) : answer,
    listeners: [{ ip: '127.0.0.1', port: 0 }],
    limits: spec.limits ?? {},
    log: () => {},
    ...spec.server,
  });
  const [bound] = await server.listen();
  process.once('SIGTERM', () => {
    server.close().then(() => process.exit(0));
  });
  console.log(JSON.stringify({ port: bound.port }));
} else {
  const { quickstartApp } = await import(new URL('../../../apps/quickstart/dist/app.js', import.meta.url));
  const app = quickstartApp({
    server: [{ ip: '127.0.0.1', port: 0 }],
    log: { console: false },
    ...spec.config,
  });
  const handlerDelayMs = spec.handlerDelayMs ?? 0;
  if (handlerDelayMs > 0) {
    // Work that takes time, so a stop finds requests in progress: every routed request waits.
    app.use(async () => {
      handled++;
      await new Promise((resolve) => setTimeout(resolve, handlerDelayMs));
      return undefined;
    });
  } else if (spec.countHandled === true) {
    app.use(() => {
      handled++;
      return undefined;
    });
  }
  await app.start();
  console.log(JSON.stringify({ port: app.addresses[0].port }));
}
