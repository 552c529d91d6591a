/** Runs the built suite (`apps/bench/dist/run.js ARGS`) in a child process, for the suite's tests. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const RUN = join(ROOT, 'apps/bench/dist/run.js');

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Throws unless the suite is built (`pnpm build`; `pnpm test` builds first). */
export function requireBuilt(): void {
  if (!existsSync(RUN)) throw new Error(`${RUN} is missing: build first (pnpm build)`);
}

/** Runs the suite with ARGS to its end; the child is killed by its pid if anything throws. */
export async function runSuite(args: readonly string[]): Promise<Ran> {
  const child = spawn(process.execPath, [RUN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  try {
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    return { code, stdout, stderr };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
