import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const packages = readdirSync(join(root, 'packages')).map((dir) => ({
  dir: join(root, 'packages', dir),
  pkg: readJson(join(root, 'packages', dir, 'package.json')),
}));
const ownNames = new Set(packages.map(({ pkg }) => pkg.name));

describe('the published packages', () => {
  it('share one version, and depend on each other through workspace:* (pinned to it on pack)', () => {
    const versions = new Set(packages.map(({ pkg }) => pkg.version));
    expect([...versions]).toHaveLength(1);
    for (const { pkg } of packages) {
      for (const [name, range] of Object.entries<string>(pkg.dependencies ?? {})) {
        if (ownNames.has(name)) expect(range, `${pkg.name} → ${name}`).toBe('workspace:*');
      }
    }
  });

  it.each(packages.map(({ dir, pkg }) => [pkg.name as string, dir, pkg]))(
    '%s has exports with types, files, engines, a README and a LICENSE',
    (_name, dir, pkg) => {
      expect(pkg.private).toBeUndefined();
      expect(pkg.license).toBe('MIT');
      expect(pkg.engines.node).toBe('>=20.19');
      expect(pkg.files).toContain('dist');
      for (const [subpath, target] of Object.entries<{ types: string; default: string } | string>(
        pkg.exports,
      )) {
        if (subpath === './package.json') continue;
        expect(typeof target === 'object' && target.types.endsWith('.d.ts'), subpath).toBe(true);
      }
      expect(existsSync(join(dir, 'README.md'))).toBe(true);
      expect(existsSync(join(dir, 'LICENSE'))).toBe(true);
    },
  );

  it('offer the test client under bbwebservice/testing', () => {
    const umbrella = packages.find(({ pkg }) => pkg.name === 'bbwebservice')?.pkg;
    expect(umbrella.exports['./testing']).toEqual({
      types: './dist/testing.d.ts',
      default: './dist/bundle/testing.js',
    });
  });

  it("give new apps the workspace's own tool versions, so an app tests what this repository tests", () => {
    const ours = readJson(join(root, 'package.json')).devDependencies;
    const templates = join(root, 'packages/create-app/templates');
    for (const template of readdirSync(templates).filter((name) => !name.startsWith('_'))) {
      const app = readJson(join(templates, template, 'package.json'));
      for (const [name, range] of Object.entries<string>(app.devDependencies)) {
        expect(range, `${template}: ${name}`).toBe(ours[name]);
      }
      if (app.dependencies.zod !== undefined) {
        expect(app.dependencies.zod).toBe(
          readJson(join(root, 'packages/core/package.json')).dependencies.zod,
        );
      }
    }
  });
});
