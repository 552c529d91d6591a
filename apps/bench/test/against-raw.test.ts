/**
 * `pnpm bench against-raw` (docs/benchmarks.md, "Instructions per request against raw net"),
 * in small form: ours and the raw `net` server each run once under valgrind, and the JSON and
 * the table are checked. The figures must be instruction counts of one request (thousands, not
 * millions), the ratio must be ours over raw net's count of the same round, and ours must count
 * more than raw net for a browser-like head, which raw net only searches for its end: a run that
 * swapped the two servers, or measured one of them twice, fails here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgainstRawResults } from '../src/against-raw.js';
import { type Ran, requireBuilt, runSuite } from './run-suite.js';

const out = mkdtempSync(join(tmpdir(), 'bbws-against-raw-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('pnpm bench against-raw', () => {
  let ran: Ran;
  let results: AgainstRawResults;

  beforeAll(async () => {
    requireBuilt();
    const file = join(out, 'against-raw.json');
    ran = await runSuite([
      'against-raw',
      '--scenario',
      'plaintext,browser-like',
      '--warmup',
      '1000',
      '--requests',
      '200',
      '--retries',
      '0',
      '--port',
      '7530',
      '--out',
      file,
    ]);
    results = JSON.parse(readFileSync(file, 'utf8')) as AgainstRawResults;
  }, 300_000); // two servers under valgrind: a minute each on a busy machine

  it('counts both servers per scenario, with the ratio of each round', () => {
    expect(ran.code, ran.stderr).toBe(0);
    expect(results.meta.server).toBe('ours');
    expect(results.meta.rounds).toBe(1);
    expect(results.meta.settings).toMatchObject({ warmup: 1000, requests: 200 });
    expect(results.rows.map((r) => r.scenario)).toEqual(['plaintext', 'browser-like']);
    for (const row of results.rows) {
      for (const value of [...row.ours, ...row.raw]) {
        // Thousands of instructions per request; a count of the start or of nothing is not.
        expect(value).toBeGreaterThan(1e3);
        expect(value).toBeLessThan(1e7);
      }
      expect(row.ours).toHaveLength(1);
      expect(row.raw).toHaveLength(1);
      expect(row.ratios).toEqual([(row.ours[0] as number) / (row.raw[0] as number)]);
      expect(row.ratio).toBe(row.ratios[0]);
    }
    // Parsing, routing and a controller cost more than finding the end of the head.
    const browser = results.rows[1] as AgainstRawResults['rows'][number];
    expect(browser.ratio).toBeGreaterThan(1);
    // Each server's round is on stderr, ours first in round 1.
    const oursAt = ran.stderr.search(/^round 1 ours {5}plaintext [\d,]+\/request/m);
    const rawAt = ran.stderr.search(/^round 1 raw-net {2}plaintext [\d,]+\/request/m);
    expect(oursAt).toBeGreaterThan(-1);
    expect(rawAt).toBeGreaterThan(oursAt);
  });

  it('prints a table with one row per scenario', () => {
    const table = ran.stdout.split('\n').filter((line) => line.startsWith('|'));
    expect(table[0]).toBe(
      '| scenario | ours, instructions/request | raw net, instructions/request | ours / raw net | per round |',
    );
    expect(table).toHaveLength(results.rows.length + 2);
    for (const [i, row] of results.rows.entries()) {
      const cells = (table[i + 2] as string).split('|').map((c) => c.trim());
      expect(cells[1]).toBe(row.scenario);
      expect(Number(cells[2]?.replaceAll(',', ''))).toBe(Math.round(row.oursMedian));
      expect(Number(cells[3]?.replaceAll(',', ''))).toBe(Math.round(row.rawMedian));
      expect(Number(cells[4])).toBeCloseTo(row.ratio, 3);
    }
  });

  it('refuses a scenario it cannot count and raw net held against itself', async () => {
    const idle = await runSuite(['against-raw', '--scenario', 'idle']);
    expect(idle.code).not.toBe(0);
    expect(idle.stderr).toContain('--scenario takes plaintext, json-param, browser-like, not idle');
    const self = await runSuite(['against-raw', '--server', 'raw-net']);
    expect(self.code).not.toBe(0);
    expect(self.stderr).toContain('--server is the server to hold against raw net');
  });
});
