import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('../reliability/support/cluster-server.mjs', import.meta.url));

/** Runs the cluster fixture to its exit (bounded; killed by pid past the bound). */
function runToExit(spec: object, boundMs: number): Promise<{ code: number | null; lines: string[] }> {
  const child = spawn(process.execPath, [ENTRY, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, boundMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: out.split('\n').filter((line) => line.startsWith('{')) });
    });
  });
}

function messages(lines: readonly string[]): string[] {
  return lines.map((line) => (JSON.parse(line) as { msg?: string }).msg ?? '').filter((m) => m !== '');
}

describe('the cluster primary', () => {
  it('rejects start() with BBWS_ERR_CLUSTER_CHILD_START when a child dies before listening', {
    timeout: 30_000,
  }, async () => {
    const { code, lines } = await runToExit({ processes: 2, failInChild: true }, 20_000);
    expect(code).toBe(1);
    expect(lines).toContain('{"startError":"BBWS_ERR_CLUSTER_CHILD_START"}');
    expect(lines.some((line) => line.startsWith('{"port"'))).toBe(false);
  });

  it('rejects start() with BBWS_ERR_APP_STATE when app.stop() comes before the children are up', {
    timeout: 30_000,
  }, async () => {
    const { code, lines } = await runToExit({ processes: 2, stopAfterMs: 50 }, 20_000);
    expect(code).toBe(1);
    expect(lines).toContain('{"startError":"BBWS_ERR_APP_STATE"}');
    expect(lines.some((line) => line.startsWith('{"port"'))).toBe(false);
  });

  it('restarts a crashing child with growing waits, then stops everything and exits 1', {
    timeout: 40_000,
  }, async () => {
    const { code, lines } = await runToExit({ processes: 2, crashAfterMs: 100 }, 30_000);
    expect(code).toBe(1);
    const log = messages(lines);
    const waits = log
      .map((m) => /^process 2 \(pid \d+\) exited with code 3; restarting it in (\d+) ms$/.exec(m)?.[1])
      .filter((w) => w !== undefined)
      .map(Number);
    expect(waits).toEqual([100, 200, 400, 800, 1600]);
    expect(log.some((m) => m.startsWith('the cluster primary gives up'))).toBe(true);
    const crashLoop = lines.find((line) => line.includes('BBWS_ERR_CLUSTER_CRASH_LOOP'));
    expect(crashLoop).toMatch(/6 deaths of process 2 within a minute/);
    // Process 1 was drained, not killed.
    expect(log).toContainEqual(expect.stringMatching(/^process 1 \(pid \d+\) exited with code 0$/));
  });
});
