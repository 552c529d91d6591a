import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/architecture.md, "How the packages are built": each package ships as a bundle of its tsc
// output (dist/bundle/, from scripts/bundle.mjs), and `exports` points at it. Checked against
// the built files (`pnpm build` first), each in a plain node process, not through vitest's
// aliases: every export subpath of the bundle exports exactly the names tsc's module does;
// each source module is in one bundle file only, so no class exists twice in a thread (the pool
// worker's script and its hooks run in threads of their own, with their own copies); maps name
// src/.

const root = resolve(import.meta.dirname, '../..');

interface Manifest {
  readonly name: string;
  readonly main?: string;
  readonly exports: Record<string, string | { readonly types: string; readonly default: string }>;
}

/** bbwebservice's export of the one module graph (scripts/bundle.mjs, GRAPH_PACKAGES). */
const GRAPH = './packages';

const packages = readdirSync(join(root, 'packages')).map((dir) => ({
  dir: join(root, 'packages', dir),
  manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest,
}));
/** create-bbws-app is a one-shot CLI that finds its templates beside its own files: not bundled. */
const bundled = packages.filter(({ manifest }) => manifest.name !== 'create-bbws-app');

/**
 * Entries that run in a thread of their own (scripts/bundle.mjs, `alone`): the offload pool's
 * worker script and the module hooks it registers. Each carries its own copy of what it uses.
 */
const OWN_THREAD = new Set(['worker-main.js.map', 'ts-hooks.js.map']);

/** Where the one module graph of bbwebservice and the @bbws/* packages is (scripts/bundle.mjs). */
const GRAPH_DIR = join(root, 'packages/bbwebservice/dist/bundle');

/** Each subpath's bundle and the tsc output beside it, e.g. ./dist/bundle/testing.js and ./dist/testing.js. */
const subpaths = bundled.flatMap(({ dir, manifest }) =>
  Object.entries(manifest.exports)
    .filter(
      ([subpath]) => subpath !== './package.json' && !(manifest.name === 'bbwebservice' && subpath === GRAPH),
    )
    .map(([subpath, target]) => {
      const file = typeof target === 'string' ? target : target.default;
      return {
        label: `${manifest.name} ${subpath}`,
        bundle: join(dir, file),
        tsc: join(dir, file.replace('/dist/bundle/', '/dist/')),
      };
    }),
);

/**
 * The exports of `file`, sorted, as a separate node process sees them: each name, with the
 * `.name` of the value when it is a class or function (bundling renames only clashing
 * top-level functions, none of them exported).
 */
function exportNames(file: string): string[] {
  const script = `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(JSON.stringify(Object.keys(m).sort().map((k) => typeof m[k] === 'function' ? k + ' ' + m[k].name : k)));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return JSON.parse(out) as string[];
}

/** The specifiers of the static `import ... from` and `export ... from` statements of a bundle file. */
function staticImports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)";/gms)].map(
    (match) => match[1] as string,
  );
}

describe('the package bundles', () => {
  it('are what every package but create-bbws-app names in main and exports; types stay tsc .d.ts', () => {
    expect(bundled.length).toBe(6);
    for (const { manifest } of bundled) {
      const main = manifest.exports['.'];
      expect(typeof main === 'object' && main.default, manifest.name).toBe('./dist/bundle/index.js');
      expect(manifest.main, manifest.name).toBe('./dist/bundle/index.js');
      for (const [subpath, target] of Object.entries(manifest.exports)) {
        if (subpath === './package.json') continue;
        if (manifest.name === 'bbwebservice' && subpath === GRAPH) {
          // The graph the other entries re-export from: no tsc module of its own; its types
          // re-export each package's declarations under the prefixed names.
          expect(target).toEqual({ types: './dist/packages.d.ts', default: './dist/bundle/packages.js' });
          continue;
        }
        expect(typeof target, `${manifest.name} ${subpath}`).toBe('object');
        if (typeof target !== 'object') continue;
        expect(target.default.startsWith('./dist/bundle/'), `${manifest.name} ${subpath}`).toBe(true);
        expect(target.types.startsWith('./dist/') && !target.types.includes('/bundle/')).toBe(true);
      }
    }
  });

  it.each(subpaths.map((entry) => [entry.label, entry]))(
    '%s exports exactly the names of the tsc output, classes and functions named alike',
    (_label, { bundle, tsc }) => {
      expect(existsSync(bundle), bundle).toBe(true);
      expect(existsSync(tsc), tsc).toBe(true);
      const fromTsc = exportNames(tsc);
      expect(fromTsc.length).toBeGreaterThan(0);
      expect(exportNames(bundle)).toEqual(fromTsc);
    },
  );

  it('the graph: each source module is in one bundle file of a thread, and the maps name src/*.ts', () => {
    const owner = new Map<string, string>();
    const files = [
      ...[GRAPH_DIR, join(root, 'packages/testing/dist/bundle')].flatMap((out) =>
        readdirSync(out)
          .filter((file) => file.endsWith('.js.map') && !OWN_THREAD.has(file))
          .map((file) => join(out, file)),
      ),
    ];
    expect(
      files.map((file) => file.slice(root.length + 1).replace(/-\w+\.js\.map$/, '.js.map')).sort(),
    ).toEqual([
      // transport's certificate store, loaded on the first TLS listener: a chunk of the graph.
      'packages/bbwebservice/dist/bundle/certificate-store.js.map',
      'packages/bbwebservice/dist/bundle/packages.js.map',
      'packages/bbwebservice/dist/bundle/testing.js.map',
      'packages/testing/dist/bundle/index.js.map',
    ]);
    for (const map of files) {
      const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
      for (const source of sources) {
        // The generated entry of the graph, and what a lazy chunk takes from it: re-exports only.
        if (source === '../packages-entry.js' && map.endsWith('/packages.js.map')) continue;
        if (source.startsWith('from-the-graph:') && /\/certificate-store-\w+\.js\.map$/.test(map)) continue;
        // Source maps followed back through tsc's: ../../src/... (or another package's src/),
        // never the dist/*.js between.
        expect(source, `${map}: ${source}`).toMatch(/^\.\.\/\.\.\/(\.\.\/[a-z-]+\/)?src\/.+\.ts$/);
        const where = resolve(dirname(map), source);
        expect(owner.get(where), `${where} in ${map} and ${owner.get(where)}`).toBeUndefined();
        owner.set(where, map);
      }
    }
    // Every source file of the five graph packages is in packages.js.
    for (const name of ['bbwebservice', 'core', 'router', 'responses', 'transport']) {
      const mapped = [...owner.keys()].filter((file) =>
        file.startsWith(join(root, 'packages', name, 'src/')),
      );
      expect(mapped.length, name).toBeGreaterThan(0);
    }
  });

  it('keep what is loaded by path as files of their own, and load TLS code on first use', () => {
    const graph = readdirSync(GRAPH_DIR);
    // offload-pool resolves the worker script beside itself; the worker registers ts-hooks.js.
    expect(graph).toContain('worker-main.js');
    expect(graph).toContain('ts-hooks.js');
    // The first https server imports node:tls and the certificate store, a chunk that takes
    // TransportError from packages.js itself: never a static import of the graph.
    const imports = staticImports(join(GRAPH_DIR, 'packages.js'));
    expect(imports).not.toContain('node:tls');
    const store = graph.find((file) => /^certificate-store-\w+\.js$/.test(file)) as string;
    expect(readFileSync(join(GRAPH_DIR, 'packages.js'), 'utf8')).toContain(`import("./${store}")`);
    expect(staticImports(join(GRAPH_DIR, store))).toEqual([
      'node:fs',
      'node:path',
      'node:tls',
      './packages.js',
    ]);
  });

  it('one graph: packages.js imports no package of the graph and no file of its own; each entry only takes names from it', () => {
    // Each module start loads, and each bare import between packages, costs the resolver path
    // work (docs/architecture.md, "What start loads"): start loads index.js and packages.js.
    const imports = staticImports(join(GRAPH_DIR, 'packages.js'));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((specifier) => !specifier.startsWith('node:'))).toEqual([]);
    for (const name of ['bbwebservice', 'core', 'router', 'responses', 'transport']) {
      const out = join(root, 'packages', name, 'dist/bundle');
      const from = name === 'bbwebservice' ? './packages.js' : 'bbwebservice/packages';
      expect(staticImports(join(out, 'index.js')), name).toEqual([from]);
      // The bundle folder says its module type itself: Node's package scope lookup stops there.
      expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'))).toEqual({ type: 'module' });
    }
  });

  it("the certificate store's errors are the app's TransportError, loaded with the first TLS listener", () => {
    // A TLS listener whose certificate is missing: the store (run on first use) throws, listen()
    // gathers that error as the cause of its own. Both must be the one class the app imports.
    const transport = pathToFileURL(join(root, 'packages/transport/dist/bundle/index.js')).href;
    const script = `
      const { HttpServer, TransportError } = await import(${JSON.stringify(transport)});
      const tls = { certPath: '/nonexistent/bbws.crt', keyPath: '/nonexistent/bbws.key' };
      const server = new HttpServer({ handler: () => {}, listeners: [{ ip: '127.0.0.1', port: 0, tls }], log: () => {} });
      try { await server.listen(); console.log('listening'); } catch (error) {
        const [store] = error.cause.errors;
        console.log(JSON.stringify([error instanceof TransportError, error.code, store instanceof TransportError, store.code]));
      }
      await server.close(100);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([
      true,
      'BBWS_ERR_TRANSPORT_NO_LISTENER',
      true,
      'BBWS_ERR_TRANSPORT_CERTIFICATE',
    ]);
  });

  it('name the src/*.ts file and line in a stack trace under --enable-source-maps', () => {
    const core = pathToFileURL(join(root, 'packages/core/dist/bundle/index.js')).href;
    const script = `const m = await import(${JSON.stringify(core)}); try { new m.HttpError(200, 'x'); } catch (error) { console.log(error.stack); }`;
    const run = (flags: string[]) =>
      execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' });
    // HttpError's constructor throws a RangeError for a status outside 400-599.
    expect(run(['--enable-source-maps'])).toMatch(
      /at new HttpError \(.*\/packages\/core\/src\/http-error\.ts:\d+:\d+\)/,
    );
    // Without the flag the frame is the bundle's, with the class name kept.
    expect(run([])).toMatch(
      /at new HttpError \(.*\/packages\/bbwebservice\/dist\/bundle\/packages\.js:\d+:\d+\)/,
    );
  });

  it.each([
    ['the graph', GRAPH_DIR, ['bbwebservice', 'core', 'router', 'responses', 'transport']],
    ['@bbws/testing', join(root, 'packages/testing/dist/bundle'), ['testing']],
  ] as const)('%s: no class is renamed, so errors and logs print the source names', (_label, out, names) => {
    const declared = (text: string) =>
      [...text.matchAll(/\bclass ([A-Za-z_$][\w$]*)|\b([A-Za-z_$][\w$]*) = class\b/g)].map(
        (match) => (match[1] ?? match[2]) as string,
      );
    const fromTsc = new Set(
      names.flatMap((name) => {
        const dist = join(root, 'packages', name, 'dist');
        return readdirSync(dist, { recursive: true, encoding: 'utf8' })
          .filter((file) => file.endsWith('.js') && !file.startsWith('bundle'))
          .flatMap((file) => declared(readFileSync(join(dist, file), 'utf8')));
      }),
    );
    let classes = 0;
    for (const file of readdirSync(out).filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(out, file), 'utf8');
      for (const declaredName of declared(text)) {
        classes++;
        if (fromTsc.has(declaredName)) continue;
        if (declaredName.startsWith('_')) {
          // `var App = class _App` (a class that names itself): its name is set back to App.
          const own = declaredName.slice(1);
          expect(fromTsc.has(own), `${file}: class ${declaredName}`).toBe(true);
          expect(text, `${file}: class ${declaredName}`).toContain(
            `Object.defineProperty(${own}, "name", { value: "${own}", configurable: true });`,
          );
        } else {
          // `var Response2 = class`: renamed where two packages' names clash; named back.
          const own = declaredName.replace(/\d+$/, '');
          expect(fromTsc.has(own), `${file}: class ${declaredName}`).toBe(true);
          expect(text, `${file}: class ${declaredName}`).toContain(
            `Object.defineProperty(${declaredName}, "name", { value: "${own}", configurable: true });`,
          );
        }
      }
    }
    expect(classes).toBeGreaterThan(0);
  });
});
