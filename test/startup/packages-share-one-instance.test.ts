import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// docs/architecture.md, "How the packages are built": bbwebservice and the four @bbws/* packages
// it is made of run as one module graph (bbwebservice/dist/bundle/packages.js); each package's
// entry re-exports its names from there. An app that imports `bbwebservice` and `@bbws/core` (the
// docs import `resolveConfig` from '@bbws/core', `Router` from '@bbws/router', `HttpServer` from
// '@bbws/transport') must get ONE instance of each class and function. Each case runs an app in
// its own Node process from the built packages (`pnpm build` first), with a node_modules as an
// install would lay it out: links into the workspace (pnpm), or copies of each package (npm).

const root = resolve(import.meta.dirname, '../..');
const PACKAGES = ['bbwebservice', '@bbws/core', '@bbws/router', '@bbws/responses', '@bbws/transport'];
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const workspaceDir = (name: string) => join(root, 'packages', name.replace('@bbws/', ''));

/** An app folder whose node_modules links (or copies) the five packages; `app.mjs` imports them. */
function appDir(layout: 'links' | 'copies', imports: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'bbws-one-instance-'));
  dirs.push(dir);
  for (const name of PACKAGES) {
    const to = join(dir, 'node_modules', name);
    mkdirSync(dirname(to), { recursive: true });
    if (layout === 'links') {
      symlinkSync(workspaceDir(name), to, 'dir');
    } else {
      mkdirSync(to);
      cpSync(join(workspaceDir(name), 'package.json'), join(to, 'package.json'));
      cpSync(join(workspaceDir(name), 'dist/bundle'), join(to, 'dist/bundle'), { recursive: true });
    }
  }
  if (layout === 'copies') {
    // What packages.js needs at start besides node: modules (the rest loads on first use).
    for (const name of ['tsyringe', 'reflect-metadata', 'tslib']) {
      const from = join(root, 'node_modules/.pnpm/node_modules', name);
      symlinkSync(from, join(dir, 'node_modules', name), 'dir');
    }
  }
  const names = imports.map((name, i) => `import * as p${i} from '${name}';`).join('\n');
  const script = `${names}
const packages = { ${imports.map((name, i) => `${JSON.stringify(name)}: p${i}`).join(', ')} };
const entries = Object.entries(packages);
let compared = 0;
const differ = [];
for (let i = 0; i < entries.length; i++) {
  for (let j = i + 1; j < entries.length; j++) {
    const [a, left] = entries[i];
    const [b, right] = entries[j];
    for (const key of Object.keys(left)) {
      if (!(key in right)) continue;
      compared++;
      if (left[key] !== right[key]) differ.push(a + ' and ' + b + ': ' + key);
    }
  }
}
// An error made by one package is an instance of the classes the others export.
const bad = packages['@bbws/router'].parseSelector === undefined ? null : (() => {
  try { packages['@bbws/router'].parseSelector('not a selector {'); } catch (error) { return error; }
  return null;
})();
console.log(JSON.stringify({
  compared,
  differ,
  routerErrorIsBbwsRouterError: bad instanceof packages['bbwebservice'].RouterError,
  routerErrorIsCoreBbwsError: bad instanceof packages['@bbws/core'].BbwsError,
}));
`;
  writeFileSync(join(dir, 'app.mjs'), script);
  return dir;
}

interface Report {
  readonly compared: number;
  readonly differ: string[];
  readonly routerErrorIsBbwsRouterError: boolean;
  readonly routerErrorIsCoreBbwsError: boolean;
}

function run(dir: string): Report {
  const out = execFileSync(process.execPath, ['app.mjs'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return JSON.parse(out) as Report;
}

describe('bbwebservice and the @bbws/* packages in one app', () => {
  const orders = [
    ['bbwebservice first', PACKAGES],
    ['the @bbws/* packages first', [...PACKAGES.slice(1), 'bbwebservice']],
  ] as const;
  for (const layout of ['links', 'copies'] as const) {
    for (const [order, imports] of orders) {
      it(`share one instance of every name they both export (${layout}, ${order})`, () => {
        const report = run(appDir(layout, imports));
        expect(report.differ).toEqual([]);
        // bbwebservice re-exports most of the @bbws/* names, and core re-exports router's
        // errors: enough pairs that a second copy of any package would show.
        expect(report.compared).toBeGreaterThan(50);
        expect(report.routerErrorIsBbwsRouterError).toBe(true);
        expect(report.routerErrorIsCoreBbwsError).toBe(true);
      });
    }
  }
});
