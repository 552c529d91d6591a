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
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The packages whose code is one module graph, bbwebservice's, in this order (see GRAPH). */
export const GRAPH_PACKAGES = ['bbwebservice', 'core', 'router', 'responses', 'transport'];

/**
 * bbwebservice, @bbws/core, @bbws/router, @bbws/responses and @bbws/transport run as ONE module,
 * `bbwebservice/dist/bundle/packages.js` (the `bbwebservice/packages` export): each package's
 * tsc output bundled with the others, every name exported with its package's prefix
 * (`core$App`). Each package's own entry, `dist/bundle/index.js`, is a thin module that
 * re-exports its names from there (`export { core$App as App } from 'bbwebservice/packages'`). So an app that imports `bbwebservice` and `@bbws/core` gets one instance of each
 * class, and start loads two modules of ours instead of seven: each module Node loads, and each
 * bare import between packages, costs its resolver path work (docs/architecture.md, "What
 * start loads").
 *
 * - `alone`: scripts loaded by path into a thread of their own (the offload pool's worker
 *   script and the module hooks it registers), each a build of its own beside packages.js; they
 *   reach the graph through their bare imports, and share state with it through globalThis
 *   (see offload/worker-mode.ts).
 * - `lazy`: modules loaded by a dynamic import() of our own (transport's certificate store),
 *   each a chunk loaded on first use, with the node: modules it imports (node:tls). What it
 *   shares with the graph it takes from packages.js, from its package's namespace, so start
 *   loads no chunk shared by both (the names it takes must be exports of its package).
 *   (Namespace exports, `export * as core`, would need esbuild's `__export` helper in a chunk
 *   both load: hence the prefixed names.)
 */
const GRAPH = {
  alone: { 'worker-main': 'core/dist/offload/worker-main.js', 'ts-hooks': 'core/dist/offload/ts-hooks.js' },
  lazy: ['transport/dist/tls/certificate-store.js'],
};

/**
 * The packages bundled on their own, each one build of its tsc output with its entries
 * (name in dist/bundle/ -> tsc output in dist/), code splitting between them. create-bbws-app
 * is not bundled: it is a one-shot CLI that finds its templates relative to its own file.
 */
export const BUNDLES = {
  testing: { index: 'index.js' },
};

const BASE = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  charset: 'ascii',
  logLevel: 'warning',
  metafile: true,
};

/** Each package's folder. */
const dirOf = (name) => join(root, 'packages', name);

/**
 * An esbuild plugin: the bare imports of the graph's packages by each other are bundled (their
 * tsc output), not left to Node's resolver.
 */
const withinTheGraph = {
  name: 'within-the-graph',
  setup(build) {
    const names = GRAPH_PACKAGES.map((name) => (name === 'bbwebservice' ? name : `@bbws/${name}`));
    const filter = new RegExp(`^(${names.map((name) => name.replace('/', '\\/')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({
      path: join(dirOf(args.path.replace('@bbws/', '')), 'dist/index.js'),
    }));
  },
};

/**
 * An esbuild plugin: a relative import by one of the graph's `lazy` modules of a module that is
 * not lazy becomes a module that takes the same names from packages.js.
 */
function lazyChunksTakeFromTheGraph(lazy) {
  const lazyFiles = new Set(lazy.map((file) => join(root, 'packages', file)));
  return {
    name: 'lazy-chunks-take-from-the-graph',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (!lazyFiles.has(args.importer)) return undefined;
        const target = resolve(dirname(args.importer), args.path);
        if (lazyFiles.has(target)) return undefined;
        // The names the lazy module imports from there (tsc's output: `import { A, B } from '...'`).
        const text = readFileSync(args.importer, 'utf8');
        const quoted = args.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const names = [...text.matchAll(new RegExp(`^import \\{([^}]*)\\} from '${quoted}';`, 'gm'))]
          .flatMap((match) => match[1].split(','))
          .map((name) => name.trim())
          .filter(Boolean);
        return {
          path: `${target}?${names.join(',')}`,
          namespace: 'from-the-graph',
          pluginData: { target, names },
        };
      });
      build.onLoad({ filter: /.*/, namespace: 'from-the-graph' }, (args) => {
        const { target, names } = args.pluginData;
        const name = target.slice(join(root, 'packages').length + 1).split('/')[0];
        const contents = `export { ${names.map((each) => `${name}$${each} as ${each}`).join(', ')} } from "./packages.js";\n`;
        return { contents, loader: 'js', resolveDir: graphDir };
      });
      build.onResolve({ filter: /^\.\/packages\.js$/, namespace: 'from-the-graph' }, () => ({
        path: './packages.js',
        external: true,
      }));
    },
  };
}

/** The exported names of a tsc output module, as its bundle would export them. */
async function exportNames(file) {
  const result = await build({ ...BASE, entryPoints: [file], write: false, sourcemap: false, outdir: '/' });
  const [output] = Object.values(result.metafile.outputs);
  return [...output.exports].sort();
}

/** Where packages.js is. */
const graphDir = join(dirOf('bbwebservice'), 'dist/bundle');

/** Builds packages.js, the scripts that run alone, and the thin entry of each graph package. */
export async function bundleGraph() {
  for (const name of GRAPH_PACKAGES)
    rmSync(join(dirOf(name), 'dist/bundle'), { recursive: true, force: true });
  mkdirSync(graphDir, { recursive: true });
  const built = [];
  // The graph's entry: every package's names, each prefixed with its package's (`core$App`).
  const exported = {};
  const lines = [
    '// Written by scripts/bundle.mjs: the entry of bbwebservice/dist/bundle/packages.js, every name of the',
    '// packages of one graph prefixed with its package (GRAPH_PACKAGES).',
  ];
  for (const name of GRAPH_PACKAGES) {
    const index = join(dirOf(name), 'dist/index.js');
    exported[name] = await exportNames(index);
    const list = exported[name].map((each) => `${each} as ${name}$${each}`).join(', ');
    lines.push(`export { ${list} } from ${JSON.stringify(`../../${name}/dist/index.js`)};`);
  }
  const entry = join(dirOf('bbwebservice'), 'dist/packages-entry.js');
  writeFileSync(entry, `${lines.join('\n')}\n`);
  // Its types: each package's own declarations under the prefixed names.
  const types = GRAPH_PACKAGES.map((name) => {
    const from = name === 'bbwebservice' ? './index.js' : `@bbws/${name}`;
    return `export { ${exported[name].map((each) => `${each} as ${name}$${each}`).join(', ')} } from '${from}';`;
  });
  writeFileSync(
    join(dirOf('bbwebservice'), 'dist/packages.d.ts'),
    `${[lines[0], lines[1], ...types].join('\n')}\n`,
  );
  const graph = await build({
    ...BASE,
    entryPoints: [{ out: 'packages', in: entry }],
    outdir: graphDir,
    splitting: true,
    chunkNames: '[name]-[hash]',
    plugins: [withinTheGraph, lazyChunksTakeFromTheGraph(GRAPH.lazy)],
  });
  built.push(graph);
  for (const [out, input] of Object.entries(GRAPH.alone)) {
    built.push(
      await build({ ...BASE, entryPoints: [{ out, in: join(root, 'packages', input) }], outdir: graphDir }),
    );
  }
  const declared = declaredClasses(GRAPH_PACKAGES);
  for (const file of readdirSync(graphDir)) {
    if (!file.endsWith('.js')) continue;
    nameClasses(join(graphDir, file), declared);
    requireAscii(join(graphDir, file));
  }
  for (const name of GRAPH_PACKAGES) {
    const outdir = join(dirOf(name), 'dist/bundle');
    mkdirSync(outdir, { recursive: true });
    const from = name === 'bbwebservice' ? './packages.js' : 'bbwebservice/packages';
    const list = exported[name].map((each) => `${name}$${each} as ${each}`).join(', ');
    const text = [
      `// ${name === 'bbwebservice' ? name : `@bbws/${name}`}'s names, taken from the one module graph of bbwebservice`,
      '// (packages.js; scripts/bundle.mjs, GRAPH_PACKAGES), so every package shares its classes.',
      `export { ${list} } from ${JSON.stringify(from)};`,
      '',
    ].join('\n');
    writeFileSync(join(outdir, 'index.js'), text);
    writeModuleScope(outdir);
  }
  if (existsSync(join(dirOf('bbwebservice'), 'dist/testing.js'))) {
    // bbwebservice/testing: @bbws/testing's names; @bbws/testing stays a package of its own.
    built.push(
      await build({
        ...BASE,
        entryPoints: [{ out: 'testing', in: join(dirOf('bbwebservice'), 'dist/testing.js') }],
        outdir: graphDir,
      }),
    );
  }
  return built;
}

/**
 * Fails the build when a module of the graph holds a character outside ASCII. Node's ES module
 * loader decodes each source with TextDecoder, whose ASCII path is about twice as fast: for
 * packages.js (460 KB) 1.5 against 3-4 ms of every start. esbuild's `charset: 'ascii'` escapes
 * strings and names; what it leaves is in the comments it keeps (JSDoc of class members), so the
 * message names the line to reword.
 */
function requireAscii(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const at = lines[i].search(/[^\x00-\x7f]/);
    if (at === -1) continue;
    const char = lines[i][at];
    throw new Error(
      `${file}:${i + 1}:${at + 1} holds ${JSON.stringify(char)} (U+${char.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}), not ASCII: reword the comment it comes from (${lines[i].trim().slice(0, 80)})`,
    );
  }
}

/**
 * The bundle folder is its own package scope: Node looks for the package.json that says
 * "type" beside each module it loads, walking up one folder per miss (from dist/bundle/, three
 * lookups; with this file, one).
 */
function writeModuleScope(outdir) {
  writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
}

export async function bundle(name, entries) {
  const dir = join(root, 'packages', name);
  const outdir = join(dir, 'dist/bundle');
  rmSync(outdir, { recursive: true, force: true });
  const entryPoints = Object.entries(entries).map(([out, input]) => ({ out, in: join(dir, 'dist', input) }));
  const result = await build({ ...BASE, entryPoints, outdir, splitting: true, chunkNames: '[name]-[hash]' });
  for (const file of readdirSync(outdir)) if (file.endsWith('.js')) nameClasses(join(outdir, file));
  writeModuleScope(outdir);
  return result.metafile;
}

/**
 * Appends `Object.defineProperty(X, 'name', ...)` for each `var X = class _X` of `file`, and for
 * each class esbuild renamed because its name clashed within the bundle (`var Response2 = class`,
 * where the source's class is `Response`: `declared` holds the class names of the tsc output).
 */
function nameClasses(file, declared = new Set()) {
  const text = readFileSync(file, 'utf8');
  const fixes = [...text.matchAll(/^var ([A-Za-z_$][\w$]*) = class _\1\b/gm)].map((match) => [
    match[1],
    match[1],
  ]);
  for (const match of text.matchAll(/^(?:var ([A-Za-z_$][\w$]*) = class\b|class ([A-Za-z_$][\w$]*)\b)/gm)) {
    const name = match[1] ?? match[2];
    const source = /^(.*?)\d+$/.exec(name)?.[1];
    if (source !== undefined && !declared.has(name) && declared.has(source)) fixes.push([name, source]);
  }
  if (fixes.length === 0) return;
  const map = text.lastIndexOf('\n//# sourceMappingURL=');
  const fix = fixes
    .map(
      ([name, value]) =>
        `Object.defineProperty(${name}, "name", { value: "${value}", configurable: true });\n`,
    )
    .join('');
  // Before the source map comment, which must stay last; lines above it keep their mappings.
  const at = map === -1 ? text.length : map + 1;
  writeFileSync(file, text.slice(0, at) + fix + text.slice(at));
}

/** The class names the tsc output of `names` (graph packages) declares. */
function declaredClasses(names) {
  const declared = new Set();
  for (const name of names) {
    const dist = join(dirOf(name), 'dist');
    for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.js') || file.startsWith('bundle')) continue;
      for (const match of readFileSync(join(dist, file), 'utf8').matchAll(/\bclass ([A-Za-z_$][\w$]*)/g)) {
        declared.add(match[1]);
      }
    }
  }
  return declared;
}

/** Where core looks for the one-file copy of tsyringe (packages/core/src/di/tsyringe.ts reads it). */
export const TSYRINGE_COPY = join(graphDir, 'tsyringe.cjs');

/**
 * Writes the tsyringe that core resolves, bundled into one CommonJS file, to TSYRINGE_COPY.
 * Requiring tsyringe's 33 files costs 20-30 ms of start; the same code in one file about 3 ms.
 * The file runs nothing when required: it exports the tsyringe `version` it was built from and
 * `load()`, which runs the bundled code and returns tsyringe's exports object. Core compares
 * that version with the installed package's before it loads the copy (docs/architecture.md,
 * "What start loads"). reflect-metadata stays out: core loads it first, as tsyringe asks.
 */
export async function prebuildTsyringe() {
  // The tsyringe that packages.js resolves, from bbwebservice's folder.
  const fromCore = createRequire(join(root, 'packages/bbwebservice/package.json'));
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
  if (only.length === 0 || only.some((name) => GRAPH_PACKAGES.includes(name))) {
    const built = await bundleGraph();
    const files = built
      .flatMap((result) => Object.keys(result.metafile.outputs))
      .filter((file) => file.endsWith('.js'));
    process.stdout.write(
      `${GRAPH_PACKAGES.join(', ')}: one graph, ${files.length} files with the scripts loaded by path\n`,
    );
    process.stdout.write(`tsyringe ${await prebuildTsyringe()}: one file\n`);
  }
  for (const [name, entries] of Object.entries(BUNDLES)) {
    if (only.length > 0 && !only.includes(name)) continue;
    const meta = await bundle(name, entries);
    const outputs = Object.keys(meta.outputs).filter((file) => file.endsWith('.js'));
    const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
    process.stdout.write(`${manifest.name}: ${outputs.length} files\n`);
  }
}
