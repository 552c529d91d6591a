import { existsSync, readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Tsyringe from 'tsyringe';

// tsyringe and the Reflect polyfill it needs are CommonJS. Loaded with `import`, Node 20 first
// scans their sources (and every file tsyringe re-exports) for export names; through require()
// that scan does not happen: 95 M instructions instead of 373 M, about 50 ms of every start.
// Requiring tsyringe's 33 files still costs 20-30 ms and warms Node's resolver until V8
// optimises it (about 3 MiB of RSS); the same code bundled into one file (scripts/bundle.mjs
// writes it beside core's bundle) costs about 3 ms. An app's `require('tsyringe')` and
// `import 'tsyringe'` must still get the instance core uses, so the one-file copy is entered
// into the CommonJS module cache under tsyringe's own filename, where both look first.
// docs/architecture.md, "What start loads".
const require = createRequire(import.meta.url);
require('reflect-metadata');

/** What scripts/bundle.mjs writes: tsyringe in one file, run by `load()`. */
interface TsyringeCopy {
  /** The version of the tsyringe package the copy was built from. */
  readonly version: string;
  /** Runs the bundled tsyringe and returns its exports object. */
  readonly load: () => typeof Tsyringe;
}

/**
 * The copy, beside the bundle core is part of (bbwebservice's dist/bundle/packages.js); from the
 * `.ts` sources (this repository's tests), the built one.
 */
const COPY = fileURLToPath(
  import.meta.url.endsWith('.ts')
    ? new URL('../../../bbwebservice/dist/bundle/tsyringe.cjs', import.meta.url)
    : new URL('./tsyringe.cjs', import.meta.url),
);

/**
 * Where core's tsyringe came from: `cached`, the instance the app (or anything before core)
 * had already loaded; `copy`, the one-file copy, entered into the module cache; `installed`,
 * the package's own files, loaded by require().
 */
export type TsyringeSource = 'cached' | 'copy' | 'installed';

/**
 * How core loads tsyringe. An instance already in the module cache (loaded, or entered by
 * the ES module loader for an `import` that runs later) is the one everybody must share, so
 * `require()` takes it. Otherwise the copy stands in for the installed package only when it
 * was built from the same version; anything else (no copy, a version that could not be read,
 * another version) loads the installed files.
 */
export function chooseTsyringeSource(
  isCached: boolean,
  installedVersion: string | undefined,
  copyVersion: string | undefined,
): TsyringeSource {
  if (isCached) return 'cached';
  if (installedVersion === undefined || copyVersion === undefined) return 'installed';
  return installedVersion === copyVersion ? 'copy' : 'installed';
}

/**
 * `version` of the installed tsyringe's package.json, read beside `filename`, the resolved index
 * (`.../node_modules/tsyringe/dist/cjs/index.js`: a second resolution would repeat the walk
 * through node_modules and its path work, docs/architecture.md "What start loads"); resolved
 * when the index is not under a `node_modules/tsyringe` folder. Undefined when it cannot be read.
 */
function installedVersion(filename: string): string | undefined {
  const folder = `${sep}node_modules${sep}tsyringe${sep}`;
  const at = filename.lastIndexOf(folder);
  let manifest: string;
  try {
    manifest =
      at === -1
        ? require.resolve('tsyringe/package.json')
        : `${filename.slice(0, at + folder.length)}package.json`;
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

interface ModuleInternals {
  _nodeModulePaths(dir: string): string[];
}

/** Enters `exports` into the CommonJS module cache as the loaded module at `filename`. */
function enterIntoCache(filename: string, exports: typeof Tsyringe): void {
  const entry = new Module(filename);
  entry.filename = filename;
  entry.paths = (Module as unknown as ModuleInternals)._nodeModulePaths(dirname(filename));
  entry.exports = exports;
  entry.loaded = true;
  require.cache[filename] = entry;
}

function loadTsyringe(): { readonly tsyringe: typeof Tsyringe; readonly source: TsyringeSource } {
  const filename = require.resolve('tsyringe');
  const isCached = require.cache[filename] !== undefined;
  const copy = isCached || !existsSync(COPY) ? undefined : (require(COPY) as TsyringeCopy);
  const source = chooseTsyringeSource(
    isCached,
    copy === undefined ? undefined : installedVersion(filename),
    copy?.version,
  );
  if (source !== 'copy' || copy === undefined) return { tsyringe: require('tsyringe'), source };
  const tsyringe = copy.load();
  enterIntoCache(filename, tsyringe);
  return { tsyringe, source };
}

const loaded = loadTsyringe();

/** tsyringe, loaded after its Reflect polyfill. */
export const tsyringe: typeof Tsyringe = loaded.tsyringe;
/** Where core's tsyringe came from (see chooseTsyringeSource). */
export const tsyringeSource: TsyringeSource = loaded.source;
