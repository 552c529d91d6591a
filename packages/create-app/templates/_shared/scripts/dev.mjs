// `npm run dev`: tsc --watch rebuilds dist/ on every change, and node --watch restarts the
// server when dist/ changes. tsc keeps the decorator metadata (design:paramtypes) that
// constructor injection needs; esbuild-based runners (tsx, ts-node --swc off) drop it.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// typescript's exports map hides bin/, so find the compiler through its package.json.
const tsPackage = createRequire(import.meta.url).resolve('typescript/package.json');
const tsc = join(dirname(tsPackage), JSON.parse(readFileSync(tsPackage, 'utf8')).bin.tsc);
if (spawnSync(process.execPath, [tsc], { stdio: 'inherit' }).status !== 0) {
  console.error('dev: the build has errors; watching for your fix');
}
const children = [
  spawn(process.execPath, [tsc, '--watch', '--preserveWatchOutput'], { stdio: 'inherit' }),
  // --watch-path: restart on any change under dist/, even while dist/main.js fails to load.
  spawn(process.execPath, ['--watch-path=dist', '--watch-preserve-output', 'dist/main.js'], {
    stdio: 'inherit',
  }),
];
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    process.exitCode = 0;
  });
}
// One gone (tsc crashed, say): stop the other too, so the dev script ends instead of hanging.
for (const child of children) {
  child.on('exit', () => {
    for (const other of children) other.kill('SIGTERM');
  });
}
