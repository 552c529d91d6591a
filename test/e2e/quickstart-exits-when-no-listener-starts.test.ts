import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 11 C: with its only listener unable to start, the quickstart stayed up listening on
// nothing (or exited 0). It must exit non-zero, saying which files failed. Runs the built
// dist/ (`pnpm build` first), as a user would with `node apps/quickstart/dist/main.js`.

const root = resolve(import.meta.dirname, '../..');
const main = join(root, 'apps/quickstart/dist/main.js');

describe('the quickstart', () => {
  it('exits non-zero within seconds, printing the certificate paths, when its only listener (TLS, missing certificate) cannot start', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bbws-quickstart-'));
    const certPath = join(cwd, 'certs/missing.crt');
    const keyPath = join(cwd, 'certs/missing.key');
    mkdirSync(join(cwd, 'config'));
    writeFileSync(
      join(cwd, 'config/config.json'),
      JSON.stringify({
        server: [{ ip: '127.0.0.1', port: 0, SSL: true, cert_path: certPath, key_path: keyPath }],
      }),
    );
    const child = spawn(process.execPath, [main], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      const code = await new Promise<number | string | null>((resolveExit) => {
        const timer = setTimeout(() => resolveExit('still running after 5 s'), 5000);
        child.once('exit', (exitCode, signal) => {
          clearTimeout(timer);
          resolveExit(exitCode ?? signal);
        });
      });
      expect(code, output).toBeTypeOf('number');
      expect(code, output).not.toBe(0);
      expect(output).toContain('BBWS_ERR_TRANSPORT_NO_LISTENER');
      expect(output).toContain(certPath);
      expect(output).toContain(keyPath);
      expect(output).not.toContain('listening on');
    } finally {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGKILL');
      }
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
