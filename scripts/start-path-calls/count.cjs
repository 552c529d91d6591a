// Counts the calls of Node's own path functions that V8 may optimise during start (docs/architecture.md,
// "Node's path work at start"): fileURLToPath (and getPathFromURLPosix under it) and
// normalizeString (under path.resolve/normalize), with the characters each call walked and who
// called it. A preload; Node's own modules take breakpoints only when they do not come from the
// startup snapshot, hence --no-node-snapshot (the counts, not the timings, are what it is for):
//
//   COUNT_TO=counts.txt COUNT_ARGS_TO=calls.json \
//     node --no-node-snapshot -r ./scripts/start-path-calls/count.cjs apps/quickstart/dist/main.js
//
// Stop the app (after its first 200) to get the files: a summary line, then calls and
// characters per caller; and every call in order, for replay.cjs.
// Each breakpoint's condition records the call and returns false, so the process never pauses.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');

Error.stackTraceLimit = 40;
const session = new Session();
session.connect();
const scripts = {};
session.on('Debugger.scriptParsed', (message) => {
  scripts[message.params.url] = message.params.scriptId;
});
/** Where each function starts, and the expression for the path it walks. */
const WATCHED = [
  ['node:internal/url', /^function getPathFromURLPosix\(/, 'getPathFromURLPosix', 'url.pathname'],
  ['node:internal/url', /^function fileURLToPath\(/, 'fileURLToPath', 'String(path)'],
  ['node:path', /^function normalizeString\(/, 'normalizeString', 'path'],
];
session.post('Debugger.enable', () => {
  for (const [url, start, name, walked] of WATCHED) {
    session.post('Debugger.getScriptSource', { scriptId: scripts[url] }, (error, result) => {
      if (error) throw error;
      const line = result.scriptSource.split('\n').findIndex((text) => start.test(text));
      const condition = `(globalThis.__pathCalls ??= []).push([${JSON.stringify(name)}, new Error().stack, ${walked}]), false`;
      session.post('Debugger.setBreakpoint', {
        location: { scriptId: scripts[url], lineNumber: line + 1 },
        condition,
      });
    });
  }
});

process.on('exit', () => {
  const calls = globalThis.__pathCalls ?? [];
  const total = {};
  const byCaller = new Map();
  for (const [name, stack, walked] of calls) {
    const length = String(walked).length;
    total[name] ??= { calls: 0, chars: 0 };
    total[name].calls++;
    total[name].chars += length;
    const frames = stack
      .split('\n')
      .slice(1)
      .map((line) => line.trim().replace(/^at /, ''))
      .filter((frame) => !frame.startsWith('eval ')); // the breakpoint's condition
    // Node's function that called it, and the first frame of a file (the app's or ours).
    const caller = frames.find((frame) => !/node:path|node:internal\/url|node:url/.test(frame)) ?? '?';
    const file = frames.find((frame) => /file:\/\/|\(\//.test(frame)) ?? '-';
    const key = `${name} <- ${caller.replace(/:\d+:\d+\)?$/, '')} | ${file.replace(/:\d+\)?$/, '')}`;
    const entry = byCaller.get(key) ?? { calls: 0, chars: 0 };
    entry.calls++;
    entry.chars += length;
    byCaller.set(key, entry);
  }
  const lines = [...byCaller].sort((a, b) => b[1].chars - a[1].chars);
  const text = `${JSON.stringify(total)}\n${lines.map(([key, { calls: n, chars }]) => `${String(n).padStart(5)} ${String(chars).padStart(7)} ${key}`).join('\n')}\n`;
  if (process.env.COUNT_ARGS_TO) {
    writeFileSync(
      process.env.COUNT_ARGS_TO,
      JSON.stringify(calls.map(([name, , walked]) => [name, String(walked)])),
    );
  }
  if (process.env.COUNT_TO) writeFileSync(process.env.COUNT_TO, text);
  else process.stderr.write(text);
});
