// `node scripts/bundle.mjs` (the second half of `pnpm build`, after `tsc -b`): bundles each
// package's tsc output (dist/**) into dist/bundle/, so importing a package loads one module
// instead of one module per source file.
// @see docs/architecture.md, "How the packages are built"
//
// - Each package is one esbuild build with the entries that run in the importing thread (every
//   `exports` subpath), with code splitting: two entries of one package share chunks, so a
//   class or a symbol exists once however the package is entered. A script loaded by path into
//   a thread of its own is a build of its own (see BUNDLES).
// - Every bare import (other @bbws packages, third-party packages, node: builtins) stays
//   external: each package keeps its own module graph.
// - A dynamic import() of our own module stays a separate chunk, loaded on first use; it takes
//   what it shares with the entry from the entry (BUNDLES, `lazy`).
// - dist/bundle/package.json says "type": "module", so Node's package scope lookup for each
//   module stops in the bundle folder.
// - tsc's source maps are followed, so the bundle's map names src/*.ts.
// - esbuild's keepNames is off: it wraps every named closure in a defineProperty call (~0.5 us
//   each time one is created, and some are created per request). Bundling renames only
//   top-level functions whose names clash within a package (readBody2). A class that names
//   itself in its body comes out as `var App = class _App`, whose name would be "_App":
//   nameClasses() gives each such class its own name back, once, at the end of its module.
//   test/startup/bundles-match-the-tsc-output.test.ts checks the names of the exports and
//   that no class is renamed.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The packages bundled and their entries (name in dist/bundle/ -> tsc output in dist/).
 * create-bbws-app is not bundled: it is a one-shot CLI that finds its templates relative to
 * its own file, and its start is not on a server's path.
 *
 * - `entries` run in the importing thread and share code: one build with code splitting, so a
 *   class exists once however the package is entered.
 * - `alone` entries run in a thread of their own (a pool worker, the module hooks' thread): each
 *   is its own build with its own copy of what it uses, so the main entry has no shared chunk
 *   to load at start (state they share goes through globalThis, see offload/worker-mode.ts).
 * - `lazy` modules are loaded by the entry's own `import()`: each stays a chunk loaded on first
 *   use, and takes what it shares with the entry from `./index.js` itself (so the entry needs
 *   no shared chunk either). The names it imports must be exports of the entry.
 *
 * Each module Node loads at start costs path work in its resolver (a package scope lookup per
 * module, a walk through node_modules per bare import); docs/architecture.md, "What start
 * loads", says why that is counted.
 */
export const BUNDLES = {
  router: { entries: { index: 'index.js' } },
  responses: { entries: { index: 'index.js' } },
  transport: { entries: { index: 'index.js' }, lazy: ['tls/certificate-store.js'] },
  core: {
    entries: { index: 'index.js' },
    // Loaded by path: the offload pool's worker script and the hooks it registers, both
    // resolved next to the module that names them (`new URL('./worker-main.js', ...)`).
    alone: { 'worker-main': 'offload/worker-main.js', 'ts-hooks': 'offload/ts-hooks.js' },
  },
  testing: { entries: { index: 'index.js' } },
  bbwebservice: { entries: { index: 'index.js', testing: 'testing.js' } },
};

export async function bundle(name, { entries, alone = {}, lazy = [] }) {
  const dir = join(root, 'packages', name);
  const outdir = join(dir, 'dist/bundle');
  rmSync(outdir, { recursive: true, force: true });
  const builds = [
    { entries, plugins: lazy.length > 0 ? [lazyChunksImportTheEntry(join(dir, 'dist'), lazy)] : [] },
  ];
  for (const [out, input] of Object.entries(alone)) builds.push({ entries: { [out]: input }, plugins: [] });
  const outputs = {};
  for (const { entries: some, plugins } of builds) {
    const entryPoints = Object.entries(some).map(([out, input]) => ({ out, in: join(dir, 'dist', input) }));
    const result = await build({
      entryPoints,
      outdir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      sourcesContent: false,
      chunkNames: '[name]-[hash]',
      legalComments: 'none',
      logLevel: 'warning',
      metafile: true,
      plugins,
    });
    Object.assign(outputs, result.metafile.outputs);
  }
  for (const file of readdirSync(outdir)) if (file.endsWith('.js')) nameClasses(join(outdir, file));
  // The bundle folder is its own package scope: Node looks for the package.json that says
  // "type" beside each module it loads, walking up one folder per miss (from dist/bundle/,
  // three lookups; from here, one).
  writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
  return { outputs };
}

/**
 * An esbuild plugin: a relative import made by one of the `lazy` modules (paths under `dist`)
 * of a module that is not lazy itself becomes an import of the entry, `./index.js`.
 */
function lazyChunksImportTheEntry(dist, lazy) {
  const lazyFiles = new Set(lazy.map((file) => join(dist, file)));
  return {
    name: 'lazy-chunks-import-the-entry',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (!lazyFiles.has(args.importer)) return undefined;
        const target = resolve(dirname(args.importer), args.path);
        if (lazyFiles.has(target)) return undefined;
        return { path: './index.js', external: true };
      });
    },
  };
}

/** Appends `Object.defineProperty(X, 'name', ...)` for each `var X = class _X` of `file`. */
function nameClasses(file) {
  const text = readFileSync(file, 'utf8');
  const names = [...text.matchAll(/^var ([A-Za-z_$][\w$]*) = class _\1\b/gm)].map((match) => match[1]);
  if (names.length === 0) return;
  const map = text.lastIndexOf('\n//# sourceMappingURL=');
  const fix = names
    .map((name) => `Object.defineProperty(${name}, "name", { value: "${name}", configurable: true });\n`)
    .join('');
  // Before the source map comment, which must stay last; lines above it keep their mappings.
  const at = map === -1 ? text.length : map + 1;
  writeFileSync(file, text.slice(0, at) + fix + text.slice(at));
}

/** Where core looks for the one-file copy of tsyringe (packages/core/src/di/tsyringe.ts reads it). */
export const TSYRINGE_COPY = join(root, 'packages/core/dist/bundle/tsyringe.cjs');

/**
 * Writes the tsyringe that core resolves, bundled into one CommonJS file, to TSYRINGE_COPY.
 * Requiring tsyringe's 33 files costs 20-30 ms of start; the same code in one file about 3 ms.
 * The file runs nothing when required: it exports the tsyringe `version` it was built from and
 * `load()`, which runs the bundled code and returns tsyringe's exports object. Core compares
 * that version with the installed package's before it loads the copy (docs/architecture.md,
 * "What start loads"). reflect-metadata stays out: core loads it first, as tsyringe asks.
 */
export async function prebuildTsyringe() {
  const fromCore = createRequire(join(root, 'packages/core/package.json'));
  const entry = fromCore.resolve('tsyringe');
  const manifest = JSON.parse(readFileSync(fromCore.resolve('tsyringe/package.json'), 'utf8'));
  const license = readFileSync(join(dirname(fromCore.resolve('tsyringe/package.json')), 'LICENSE'), 'utf8');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['reflect-metadata'],
    // tslib's licence comment stays with its code.
    legalComments: 'inline',
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  const text = [
    `// tsyringe ${manifest.version}, bundled with the tslib it requires into one file by`,
    '// scripts/bundle.mjs of bbwebservice. Requiring this file runs nothing: core checks `version`',
    "// against the installed tsyringe's and then calls `load()` (packages/core/src/di/tsyringe.ts).",
    '/*',
    license.trimEnd(),
    '*/',
    "'use strict';",
    `exports.version = ${JSON.stringify(manifest.version)};`,
    'exports.load = function load() {',
    '  const module = { exports: {} };',
    '  (function (exports, module) {',
    code,
    '  })(module.exports, module);',
    '  return module.exports;',
    '};',
    '',
  ].join('\n');
  writeFileSync(TSYRINGE_COPY, text);
  return manifest.version;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.argv.slice(2);
  for (const [name, spec] of Object.entries(BUNDLES)) {
    if (only.length > 0 && !only.includes(name)) continue;
    const meta = await bundle(name, spec);
    const outputs = Object.keys(meta.outputs).filter((file) => file.endsWith('.js'));
    const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
    process.stdout.write(`${manifest.name}: ${outputs.length} files\n`);
    if (name === 'core') process.stdout.write(`tsyringe ${await prebuildTsyringe()}: one file\n`);
  }
}
