/**
 * `node --import apps/bench/dist/analysis/record-loads.js app.js`: writes every module the
 * process loads, one URL a line, to the file named by RECORD_LOADS_TO. ES modules are seen by a
 * resolve hook (on the loader thread, which appends as it goes: record-loads-hooks.ts);
 * CommonJS modules from require.cache at exit, since Node 20's hooks do not see require().
 * Used by test/startup/start-loads-only-what-it-needs.test.ts.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = process.env.RECORD_LOADS_TO;
if (out !== undefined && out !== '') {
  writeFileSync(out, '');
  register('./record-loads-hooks.js', import.meta.url, { data: { out } });
  const cache = createRequire(import.meta.url).cache;
  process.once('exit', () => {
    appendFileSync(
      out,
      Object.keys(cache)
        .map((path) => `file://${path}\n`)
        .join(''),
    );
  });
}
