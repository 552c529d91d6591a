/**
 * `node --import apps/bench/dist/analysis/record-loads.js app.js`: writes every module the
 * process loads, one URL a line, to the file named by RECORD_LOADS_TO. ES modules are seen by a
 * resolve hook (on the loader thread, which appends as it goes: record-loads-hooks.ts);
 * CommonJS modules from require.cache at exit, since Node 20's hooks do not see require();
 * Node's own modules, `node:NAME` (internal ones too), from `process.moduleLoadList` at exit,
 * which also sees those Node loads itself or an app takes with `process.getBuiltinModule`.
 * Registering the hook loads node:worker_threads (its thread), so with RECORD_LOADS_BUILTINS=1
 * no hook is registered and only Node's modules are written. Used by
 * test/startup/start-loads-only-what-it-needs.test.ts.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = process.env.RECORD_LOADS_TO;
if (out !== undefined && out !== '') {
  writeFileSync(out, '');
  const builtinsOnly = process.env.RECORD_LOADS_BUILTINS === '1';
  if (!builtinsOnly) register('./record-loads-hooks.js', import.meta.url, { data: { out } });
  const cache = createRequire(import.meta.url).cache;
  process.once('exit', () => {
    const builtins = (process as unknown as { moduleLoadList: string[] }).moduleLoadList
      .filter((entry) => entry.startsWith('NativeModule '))
      .map((entry) => `node:${entry.slice('NativeModule '.length)}\n`);
    const files = builtinsOnly ? [] : Object.keys(cache).map((path) => `file://${path}\n`);
    appendFileSync(out, files.join('') + builtins.join(''));
  });
}
