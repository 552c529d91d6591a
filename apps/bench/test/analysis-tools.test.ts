/**
 * The suite's analysis subcommands (docs/benchmarks.md, "Where time and memory go"), each run
 * once on this build with small counts: what they print is well formed and its figures are
 * above zero. The instruction counts under valgrind are covered by bench-compare.test.ts.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, runSuite } from './run-suite.js';

const out = mkdtempSync(join(tmpdir(), 'bbws-analysis-test-'));

beforeAll(() => {
  requireBuilt();
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('pnpm bench analysis subcommands', () => {
  it('parse: CPU ns per head of the parser alone, for browser-like heads', async () => {
    const ran = await runSuite(['parse', '--rounds', '1']);
    expect(ran.code).toBe(0);
    const match = /^browser-like \S+: median (\d+) ns\/head \(min (\d+); (\d+) bytes\)$/m.exec(ran.stdout);
    expect(match, ran.stdout + ran.stderr).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThan(0);
    // The suite's browser-like heads are about 650 bytes.
    expect(Number(match?.[3])).toBeGreaterThan(600);
  }, 60_000);

  it('profile-start: the quickstart start, CPU ms per package, heaviest first', async () => {
    const ran = await runSuite(['profile-start', '--top', '5', '--port', '7520']);
    expect(ran.code).toBe(0);
    const total = /^CPU during start to first 200 and stop \(idle excluded\): ([\d.]+) ms$/m.exec(ran.stdout);
    expect(Number(total?.[1])).toBeGreaterThan(0);
    const rows = [...ran.stdout.matchAll(/^\s+([\d.]+) ms {2}(.+)$/gm)].map((m) => Number(m[1]));
    expect(rows).toHaveLength(5);
    expect(rows).toEqual([...rows].sort((a, b) => b - a));
  }, 60_000);

  it('profile: a server under a fixed load, µs of self time per request per function', async () => {
    const ran = await runSuite([
      'profile',
      '--kind',
      'plaintext',
      '--requests',
      '5000',
      '--top',
      '5',
      '--port',
      '7521',
    ]);
    expect(ran.code).toBe(0);
    const head = /: (\d+) ms sampled, ([\d.]+) µs\/request$/m.exec(ran.stdout);
    expect(Number(head?.[2])).toBeGreaterThan(0);
    expect([...ran.stdout.matchAll(/^\s*[\d.]+% +[\d.]+ µs {2}\S/gm)]).toHaveLength(5);
  }, 120_000);

  it('idle-snapshot, heap-summary, heap-edges: a snapshot of idle connections and what is in it', async () => {
    const file = join(out, 'idle.heapsnapshot');
    const snapshot = await runSuite([
      'idle-snapshot',
      '--connections',
      '50',
      '--out',
      file,
      '--port',
      '7522',
    ]);
    expect(snapshot.code, snapshot.stderr).toBe(0);
    expect(snapshot.stdout).toContain(`50 idle connections: ${file}`);
    expect(existsSync(file)).toBe(true);
    const summary = await runSuite(['heap-summary', file, '--per', '50', '--top', '5']);
    expect(summary.code).toBe(0);
    const total = /^total self size ([\d.]+) MiB, (\d+) B\/unit$/m.exec(summary.stdout);
    expect(Number(total?.[1])).toBeGreaterThan(0);
    expect([
      ...summary.stdout.matchAll(/^\s+\d+ KiB\s+\d+\s+[\d.]+\/unit\s+\d+ B\/unit {2}\S/gm),
    ]).toHaveLength(5);
    const edges = await runSuite(['heap-edges', file, 'Socket', '--depth', '1']);
    expect(edges.code).toBe(0);
    expect(edges.stdout.split('\n')[0]).toMatch(/^Socket -> object "Socket" \d+ B$/);
    expect(edges.stdout).toMatch(/^ {2}property:\S+ -> /m);
  }, 120_000);

  it('instructions: refuses a kind it does not know, naming the ones it does', async () => {
    const ran = await runSuite(['instructions', '--kind', 'nope', '--', 'node', 'x.js']);
    expect(ran.code).not.toBe(0);
    expect(ran.stderr).toContain(
      '--kind is plaintext, json-param, browser-like or a path starting with /, not nope',
    );
  });
});
