import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownVersion, ScaffoldError, scaffold, TEMPLATES } from '../src/index.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'bbws-scaffold-'));

describe('scaffold', () => {
  it('copies the template and fills in the name', () => {
    const target = scaffold({ name: 'my-app', directory: join(fresh(), 'my-app') });
    const pkg = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('my-app');
    expect(pkg.dependencies.bbwebservice).toBe(`^${ownVersion()}`);
    expect(readFileSync(join(target, 'src/hello-controller.ts'), 'utf8')).toContain("greet('my-app')");
    expect(readFileSync(join(target, 'test/hello.test.ts'), 'utf8')).toContain('Hello from my-app!');
    expect(existsSync(join(target, '.gitignore'))).toBe(true);
    expect(existsSync(join(target, 'tsconfig.json'))).toBe(true);
  });

  it.each(['My App', '../escape', '', 'UPPER', 'a/b'])('refuses the name %j with a coded error', (name) => {
    expect(() => scaffold({ name, directory: join(fresh(), 'x') })).toThrow(ScaffoldError);
    try {
      scaffold({ name, directory: join(fresh(), 'x') });
    } catch (error) {
      expect((error as ScaffoldError).code).toBe('BBWS_ERR_SCAFFOLD_NAME');
    }
  });

  it('refuses a non-empty target folder and writes nothing into it', () => {
    const dir = join(fresh(), 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    expect(() => scaffold({ name: 'taken', directory: dir })).toThrow(/not empty/);
    expect(existsSync(join(dir, 'package.json'))).toBe(false);
  });

  it('writes into a non-empty folder with force, keeping files the template does not have', () => {
    const dir = join(fresh(), 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    scaffold({ name: 'taken', directory: dir, force: true });
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'src/main.ts'))).toBe(true);
  });

  it.each(TEMPLATES.map((t) => t.name))(
    'template %s has the scripts, files and dependencies an app needs',
    (template) => {
      const target = scaffold({ name: `app-${template}`, directory: join(fresh(), 'app'), template });
      const pkg = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
      expect(Object.keys(pkg.scripts).sort()).toEqual(['build', 'dev', 'start', 'test']);
      for (const file of [
        'tsconfig.json',
        'config/config.json',
        'README.md',
        '.gitignore',
        'src/main.ts',
        'src/app.ts',
      ]) {
        expect(existsSync(join(target, file)), file).toBe(true);
      }
      expect(readFileSync(join(target, 'src/main.ts'), 'utf8')).toContain(`app-${template} listening on`);
    },
  );

  it('refuses an unknown template with a coded error, before writing', () => {
    const dir = join(fresh(), 'x');
    expect(() => scaffold({ name: 'x', directory: dir, template: 'default' })).toThrow(
      expect.objectContaining({ code: 'BBWS_ERR_SCAFFOLD_TEMPLATE' }),
    );
    expect(existsSync(dir)).toBe(false);
  });
});
