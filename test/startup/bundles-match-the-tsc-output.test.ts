import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/** Each subpath's bundle and the tsc output beside it, e.g. ./dist/bundle/testing.js and ./dist/testing.js. */
const subpaths = bundled.flatMap(({ dir, manifest }) =>
  Object.entries(manifest.exports)
    .filter(([subpath]) => subpath !== './package.json')
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

  it.each(bundled.map(({ dir, manifest }) => [manifest.name, dir]))(
    '%s: each source module is in one bundle file, and the maps name src/*.ts',
    (_name, dir) => {
      const out = join(dir, 'dist/bundle');
      const owner = new Map<string, string>();
      const maps = readdirSync(out).filter((file) => file.endsWith('.js.map') && !OWN_THREAD.has(file));
      expect(maps.length).toBeGreaterThan(0);
      for (const map of maps) {
        const { sources } = JSON.parse(readFileSync(join(out, map), 'utf8')) as { sources: string[] };
        for (const source of sources) {
          // Source maps followed back through tsc's: ../../src/..., never the dist/*.js between.
          expect(source, `${map}: ${source}`).toMatch(/^\.\.\/\.\.\/src\/.+\.ts$/);
          expect(owner.get(source), `${source} in ${map} and ${owner.get(source)}`).toBeUndefined();
          owner.set(source, map);
        }
      }
      expect(owner.size).toBeGreaterThan(0);
    },
  );

  it('keep what is loaded by path or on first use as files of its own', () => {
    const core = readdirSync(join(root, 'packages/core/dist/bundle'));
    // offload-pool resolves the worker script beside itself; the worker registers ts-hooks.js.
    expect(core).toContain('worker-main.js');
    expect(core).toContain('ts-hooks.js');
    // The first https server imports the certificate store: a chunk, not part of index.js.
    const transport = readdirSync(join(root, 'packages/transport/dist/bundle'));
    expect(transport.filter((file) => /^certificate-store-\w+\.js$/.test(file))).toHaveLength(1);
    const index = readFileSync(join(root, 'packages/transport/dist/bundle/index.js.map'), 'utf8');
    expect(index).not.toContain('certificate-store.ts');
    // It takes TransportError from the entry itself, not from a chunk both would load.
    const store = transport.find((file) => /^certificate-store-\w+\.js$/.test(file)) as string;
    expect(staticImports(join(root, 'packages/transport/dist/bundle', store))).toEqual([
      'node:fs',
      'node:path',
      'node:tls',
      './index.js',
    ]);
  });

  it.each(bundled.map(({ dir, manifest }) => [manifest.name, dir]))(
    '%s: index.js loads no other file of its bundle at start, and a lazy chunk takes what it shares from index.js',
    (_name, dir) => {
      const out = join(dir, 'dist/bundle');
      // Each module start loads costs the resolver path work (docs/architecture.md, "What start
      // loads"): the entry's static imports are other packages and node: builtins only.
      const index = staticImports(join(out, 'index.js'));
      expect(index.filter((specifier) => specifier.startsWith('.'))).toEqual([]);
      // The bundle folder says its module type itself: Node's package scope lookup stops there.
      expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'))).toEqual({ type: 'module' });
      for (const file of readdirSync(out)) {
        if (!file.endsWith('.js') || file === 'index.js' || OWN_THREAD.has(`${file}.map`)) continue;
        const relative = staticImports(join(out, file)).filter((specifier) => specifier.startsWith('.'));
        expect(relative, file).toEqual(relative.length === 0 ? [] : ['./index.js']);
      }
    },
  );

  it("the certificate store's errors are the entry's TransportError, loaded with the first TLS listener", () => {
    // A TLS listener whose certificate is missing: the store (the lazy chunk) throws, listen()
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
    expect(run([])).toMatch(/at new HttpError \(.*\/packages\/core\/dist\/bundle\/index\.js:\d+:\d+\)/);
  });

  it.each(bundled.map(({ dir, manifest }) => [manifest.name, dir]))(
    '%s: no class is renamed, so errors and logs print the source names',
    (name, dir) => {
      const declared = (text: string) =>
        [...text.matchAll(/\bclass ([A-Za-z_$][\w$]*)|\b([A-Za-z_$][\w$]*) = class\b/g)].map(
          (match) => (match[1] ?? match[2]) as string,
        );
      const fromTsc = new Set(
        readdirSync(join(dir, 'dist'), { recursive: true, encoding: 'utf8' })
          .filter((file) => file.endsWith('.js') && !file.startsWith('bundle'))
          .flatMap((file) => declared(readFileSync(join(dir, 'dist', file), 'utf8'))),
      );
      let classes = 0;
      for (const file of readdirSync(join(dir, 'dist/bundle')).filter((f) => f.endsWith('.js'))) {
        const text = readFileSync(join(dir, 'dist/bundle', file), 'utf8');
        for (const declaredName of declared(text)) {
          classes++;
          if (fromTsc.has(declaredName)) continue;
          // `var App = class _App` (a class that names itself): its name is set back to App.
          const own = declaredName.slice(1);
          expect(fromTsc.has(own), `${file}: class ${declaredName}`).toBe(true);
          expect(text, `${file}: class ${declaredName}`).toContain(
            `Object.defineProperty(${own}, "name", { value: "${own}", configurable: true });`,
          );
        }
      }
      if (name !== 'bbwebservice') expect(classes).toBeGreaterThan(0);
    },
  );
});
