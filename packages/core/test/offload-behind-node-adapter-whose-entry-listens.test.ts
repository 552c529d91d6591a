import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

// The entry runs the built dist/ (run `pnpm build` first), as `node entry.js` runs a user's app.
const ENTRY = fileURLToPath(new URL('./fixtures/adapter-entry-listens.mjs', import.meta.url));

let child: ChildProcess | null = null;

afterEach(() => {
  child?.kill('SIGKILL');
  child = null;
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const port = (probe.address() as { port: number }).port;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the entry; resolves with everything it printed so far once it says it listens. */
function startEntry(port: number): Promise<{ output: () => string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const proc = spawn(process.execPath, [ENTRY], { env: { ...process.env, PORT: String(port) } });
    child = proc;
    const timer = setTimeout(() => reject(new Error(`entry did not listen:\n${output}`)), 10_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) {
        clearTimeout(timer);
        resolve({ output: () => output });
      }
    };
    proc.stdout.on('data', collect);
    proc.stderr.on('data', collect);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`entry exited with ${code}:\n${output}`));
    });
  });
}

async function get(base: string, path: string): Promise<{ status: number; text: string }> {
  const response = await request(`${base}${path}`, { headersTimeout: 8000, bodyTimeout: 8000 });
  return { status: response.statusCode, text: await response.body.text() };
}

describe('@Offload() behind toNodeListener, in an entry that listens at top level', () => {
  it('answers 200 from a worker; no worker imports the entry, none dies or is replaced', async () => {
    const port = await freePort();
    const { output } = await startEntry(port);
    const base = `http://127.0.0.1:${port}`;

    const answer = await get(base, '/hash/3');
    expect(answer.status).toBe(200);
    const [, worker] = /in thread (\d+)$/.exec(answer.text) ?? [];
    expect(Number(worker)).toBeGreaterThan(0); // thread 0 is the entry's main thread

    expect((await get(base, '/pool-size')).text).toBe('1');
    for (let i = 0; i < 5; i++) expect((await get(base, `/hash/${i}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The same one worker thread answered all along: it was never replaced.
    expect((await get(base, '/hash/9')).text).toMatch(new RegExp(`in thread ${worker}$`));
    expect((await get(base, '/pool-size')).text).toBe('1');
    expect(output()).not.toMatch(/EADDRINUSE|exited|replaced/);
  });
});
