/**
 * The suite's before/after mode (`pnpm bench compare`), in smoke form: the same build as both
 * "before" and "after". Checks that the JSON and the table are well formed, that every figure is
 * above zero and every ratio is after over before, in the wall-clock mode and in the
 * instruction-count mode (valgrind); and once with `--before HEAD`, a revision built in a
 * temporary worktree that must be gone afterwards. Runs the built suite.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareResults } from '../src/compare.js';
import { type Ran, ROOT, requireBuilt, runSuite } from './run-suite.js';

const out = mkdtempSync(join(tmpdir(), 'bbws-compare-test-'));

function checkRows(results: CompareResults, ran: Ran, expected: readonly string[]): void {
  // The same build twice.
  expect(results.meta.before.root).toBe(results.meta.after.root);
  checkRowsOf(results, ran, expected);
}

function checkRowsOf(results: CompareResults, ran: Ran, expected: readonly string[]): void {
  expect(ran.stderr).not.toContain('FAILED');
  expect(ran.code).toBe(0);
  expect(results.errors).toEqual([]);
  expect(results.meta.rounds).toBe(1);
  expect(results.rows.map((r) => `${r.scenario}/${r.server}/${r.figure}`)).toEqual(expected);
  const bad: string[] = [];
  for (const row of results.rows) {
    for (const value of [...row.before, ...row.after, row.beforeMedian, row.afterMedian, row.ratio]) {
      if (!(Number.isFinite(value) && value > 0))
        bad.push(`${row.scenario}/${row.server}/${row.figure}=${value}`);
    }
    expect(row.before).toHaveLength(1);
    expect(row.after).toHaveLength(1);
    expect(row.ratios).toEqual([(row.after[0] as number) / (row.before[0] as number)]);
  }
  expect(bad).toEqual([]);
  // The table: a head, a rule, and a row per figure with as many cells as the head.
  const table = ran.stdout.split('\n').filter((line) => line.startsWith('|'));
  expect(table[0]).toBe('| scenario | server | figure | before | after | after / before | per round |');
  expect(table).toHaveLength(results.rows.length + 2);
  for (const [i, row] of results.rows.entries()) {
    const cells = (table[i + 2] as string).split('|').map((c) => c.trim());
    expect(cells).toHaveLength(9);
    expect(cells.slice(1, 3)).toEqual([row.scenario, row.server]);
    expect(Number(cells[6])).toBeCloseTo(row.ratio, 3);
  }
}

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('pnpm bench compare --smoke (the same build as before and after)', () => {
  let wall: CompareResults;
  let wallRun: Ran;
  let counted: CompareResults;
  let countedRun: Ran;

  beforeAll(async () => {
    requireBuilt();
    wallRun = await runSuite([
      'compare',
      '--smoke',
      '--before',
      ROOT,
      '--scenario',
      'plaintext,cold-start',
      '--servers',
      'ours,quickstart',
      '--port',
      '7510',
      '--out',
      join(out, 'wall.json'),
    ]);
    wall = JSON.parse(readFileSync(join(out, 'wall.json'), 'utf8')) as CompareResults;
    countedRun = await runSuite([
      'compare',
      '--smoke',
      '--instructions',
      '--before',
      ROOT,
      '--scenario',
      'plaintext,cold-start',
      '--servers',
      'ours',
      // 1,000 counted after 100: V8's optimising compiler starts within the count (22.8% of
      // it on 2026-12-01). With 300 after 100 it did not start at all once a parser's copy of
      // a repeated head began at its second head and static routes skipped the tree walk:
      // the hot code tiers up later the less work it does.
      '--requests',
      '1000',
      '--ir-warmup',
      '100',
      '--port',
      '7511',
      '--out',
      join(out, 'instructions.json'),
    ]);
    counted = JSON.parse(readFileSync(join(out, 'instructions.json'), 'utf8')) as CompareResults;
  }, 420_000); // two servers under valgrind: a minute each on a busy machine

  it('wall mode: every figure of each scenario and server, above zero, with its ratio', () => {
    expect(wall.meta.mode).toBe('wall');
    checkRows(wall, wallRun, [
      'plaintext/ours/server CPU per request',
      'plaintext/ours/requests/s',
      'plaintext/ours/p99 latency',
      'plaintext/ours/peak RSS',
      'cold-start/quickstart/spawn to first 200',
      'cold-start/quickstart/RSS after start',
      'cold-start/ours/spawn to first 200',
      'cold-start/ours/RSS after start',
    ]);
  });

  it('instruction mode: start-up and per-request counts of each build', () => {
    expect(counted.meta.mode).toBe('instructions');
    checkRows(counted, countedRun, [
      'cold-start/ours/instructions, exec to first 200',
      'plaintext/ours/instructions per request',
    ]);
    // 100 warm-up requests leave V8's optimising compiler busy while the 1,000 are counted, and it says so.
    expect(countedRun.stderr).toMatch(/warning: [\d.]+% of the plaintext count is V8's optimising compiler/);
    const [start, perRequest] = counted.rows;
    // Starting Node and the app is hundreds of millions of instructions; one GET, thousands.
    for (const value of [...(start?.before ?? []), ...(start?.after ?? [])])
      expect(value).toBeGreaterThan(1e8);
    for (const value of [...(perRequest?.before ?? []), ...(perRequest?.after ?? [])]) {
      expect(value).toBeGreaterThan(1e3);
      expect(value).toBeLessThan(1e8);
    }
  });

  it('builds a git revision in a temporary worktree, measures it, and removes the worktree', {
    timeout: 400_000, // pnpm install and a full tsc -b in the worktree
  }, async () => {
    const file = join(out, 'revision.json');
    // Read before the run: a commit made while it builds would move HEAD.
    const head = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short=12', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    const ran = await runSuite([
      'compare',
      '--smoke',
      '--before',
      'HEAD',
      '--scenario',
      'cold-start',
      '--servers',
      'quickstart',
      '--port',
      '7512',
      '--out',
      file,
    ]);
    const results = JSON.parse(readFileSync(file, 'utf8')) as CompareResults;
    expect(results.meta.before.source).toBe(`HEAD (${head})`);
    expect(results.meta.before.root).not.toBe(results.meta.after.root);
    expect(ran.stderr).toContain(`in ${results.meta.before.root}: installing and building`);
    checkRowsOf(results, ran, [
      'cold-start/quickstart/spawn to first 200',
      'cold-start/quickstart/RSS after start',
    ]);
    // The worktree is gone, from the disk and from git's list.
    expect(existsSync(results.meta.before.root)).toBe(false);
    const worktrees = execFileSync('git', ['-C', ROOT, 'worktree', 'list', '--porcelain'], {
      encoding: 'utf8',
    });
    expect(worktrees).not.toContain(results.meta.before.root);
  });

  it('refuses a --before that is neither a directory nor a revision, naming it', async () => {
    const ran = await runSuite([
      'compare',
      '--smoke',
      '--before',
      'no-such-rev-h5',
      '--out',
      join(out, 'x.json'),
    ]);
    expect(ran.code).not.toBe(0);
    expect(ran.stderr).toContain('--before no-such-rev-h5 is neither a directory nor a git revision');
    expect(existsSync(join(out, 'x.json'))).toBe(false);
  });
});
