import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Puts `bbwebservice` into `modules` (a node_modules folder) as an install of the built package
 * would: its package.json beside links to its `dist` and its dependencies. The package.json is
 * a copy so it can name the `./testing` entry (`bbwebservice/testing`, dist/testing.js) while
 * the workspace's own does not yet; once it does, the copy is the same file.
 */
export function linkBbwebservice(modules: string): void {
  const source = join(ROOT, 'packages/bbwebservice');
  const target = join(modules, 'bbwebservice');
  mkdirSync(target, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as {
    exports: Record<string, unknown>;
  };
  manifest.exports['./testing'] ??= { types: './dist/testing.d.ts', default: './dist/testing.js' };
  writeFileSync(join(target, 'package.json'), JSON.stringify(manifest, null, 2));
  symlinkSync(join(source, 'dist'), join(target, 'dist'), 'dir');
  symlinkSync(join(source, 'node_modules'), join(target, 'node_modules'), 'dir');
}
