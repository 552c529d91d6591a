import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScaffoldError, scaffold } from '../src/index.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'bbws-scaffold-'));

describe('scaffold', () => {
  it('copies the template and fills in the name', () => {
    const target = scaffold({ name: 'my-app', directory: join(fresh(), 'my-app') });
    const pkg = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('my-app');
    expect(pkg.dependencies.bbwebservice).toBe('^0.1.0');
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
});
