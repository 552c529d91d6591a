import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { scaffold } from '../../packages/create-app/src/index.js';
import { linkBbwebservice } from '../support/link-bbwebservice.js';

const root = resolve(import.meta.dirname, '../..');

/** Links what `npm install` would bring, from this workspace (the machine may be offline). */
function linkDependencies(app: string): void {
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, '@types'), { recursive: true });
  linkBbwebservice(modules);
  symlinkSync(join(root, 'node_modules/@types/node'), join(modules, '@types/node'));
  for (const name of ['vitest', 'unplugin-swc', '@swc']) {
    symlinkSync(join(root, 'node_modules', name), join(modules, name));
  }
}

describe('a scaffolded app', () => {
  const app = scaffold({
    name: 'demo-app',
    directory: join(mkdtempSync(join(tmpdir(), 'bbws-app-')), 'demo-app'),
  });
  linkDependencies(app);

  it('builds with tsc and serves /hello', async () => {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], {
      stdio: 'pipe',
    });
    mkdirSync(join(app, 'config'), { recursive: true });
    writeFileSync(
      join(app, 'config/config.json'),
      JSON.stringify({ server: [{ ip: '127.0.0.1', port: 0 }] }),
    );
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = await new Promise<number>((resolvePort, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          const match = /listening on [^ ]+:(\d+)/.exec(chunk.toString());
          if (match !== null) resolvePort(Number(match[1]));
        });
        child.once('exit', (code) => reject(new Error(`app exited with ${code}`)));
      });
      const res = await request(`http://127.0.0.1:${port}/hello`);
      expect(res.statusCode).toBe(200);
      expect(await res.body.text()).toBe('Hello from demo-app!');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('passes its own controller tests', () => {
    const out = execFileSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    expect(out.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/Tests\s+2 passed/);
  });
});
