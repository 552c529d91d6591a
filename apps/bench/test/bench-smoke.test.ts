/**
 * The suite's smoke mode (`pnpm bench --smoke`): one short round of every scenario and server,
 * so the suite cannot rot. Asserts that every server produced numbers above zero in every
 * scenario it runs, and that the JSON, the markdown section and the SVG charts are well formed.
 * It runs the built suite (`tsc -b` comes first in `pnpm test`) and needs wrk and taskset.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuiteResults } from '../src/suite/model.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const RUN = join(ROOT, 'apps/bench/dist/run.js');
const out = mkdtempSync(join(tmpdir(), 'bbws-bench-smoke-test-'));
const markdown = join(out, 'benchmarks.md');
const charts = join(out, 'charts');
let results: SuiteResults;
let exitCode: number | null = null;
let stderr = '';

beforeAll(async () => {
  if (!existsSync(RUN)) throw new Error(`${RUN} is missing: build first (pnpm build)`);
  // The page with its hand-written part, to check that only the marked section changes.
  writeFileSync(
    markdown,
    '# Benchmarks\n\nHand-written intro.\n\n<!-- bench:begin -->\nold\n<!-- bench:end -->\n\n## Kept\n\nHand-written tail.\n',
  );
  const child = spawn(
    process.execPath,
    [RUN, '--smoke', '--out', out, '--docs', markdown, '--charts', charts],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  try {
    exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  results = JSON.parse(readFileSync(join(out, 'smoke.json'), 'utf8')) as SuiteResults;
}, 240_000); // about 70 s on a quiet machine; more when the machine is shared

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('pnpm bench --smoke', () => {
  it('ends with exit code 0 and no failed measurement', () => {
    expect(stderr).not.toContain('FAILED');
    expect(exitCode).toBe(0);
  });

  it('runs every scenario, with the figures of every server above zero', () => {
    expect(results.meta.mode).toBe('smoke');
    expect(results.scenarios.map((s) => s.id)).toEqual([
      'plaintext',
      'json-param',
      'browser-like',
      'post-json',
      'ranged',
      'sse',
      'idle',
      'cold-start',
      'cpu-route',
    ]);
    const missing: string[] = [];
    for (const scenario of results.scenarios) {
      expect(scenario.results.map((r) => r.id)).toEqual(scenario.servers);
      for (const server of scenario.results) {
        expect(server.rounds).toHaveLength(1);
        for (const metric of scenario.metrics) {
          const value = server.median[metric.key];
          if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
            missing.push(`${scenario.id}/${server.id}/${metric.key}=${value}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('holds the clients it was asked for', () => {
    const sse = results.scenarios.find((s) => s.id === 'sse');
    const idle = results.scenarios.find((s) => s.id === 'idle');
    for (const server of idle?.results ?? []) expect(server.median.open).toBe(results.meta.idleConnections);
    for (const server of sse?.results ?? []) {
      // Every broadcast but the last few in flight reached every client.
      expect(server.median.delivered).toBeGreaterThanOrEqual(
        (server.median.broadcasts - 4) * results.meta.sseClients,
      );
    }
  });

  it('compares with Fastify: its own ratio is 1', () => {
    for (const scenario of results.scenarios) {
      const fastify = scenario.results.find((r) => r.id === 'fastify');
      if (fastify === undefined) continue;
      for (const metric of scenario.metrics) expect(fastify.vsFastify[metric.key]).toBe(1);
    }
  });

  it('replaces only the marked section of the page, with a table per scenario and no bars', () => {
    const page = readFileSync(markdown, 'utf8');
    expect(page.startsWith('# Benchmarks\n\nHand-written intro.\n\n<!-- bench:begin -->\n')).toBe(true);
    expect(page.endsWith('<!-- bench:end -->\n\n## Kept\n\nHand-written tail.\n')).toBe(true);
    expect(page).not.toContain('\nold\n');
    expect(page).not.toContain('### Bars');
    for (const scenario of results.scenarios) {
      expect(page).toContain(`### ${scenario.title}\n`);
      expect(page).toContain(`](charts/${scenario.id}.svg)`);
      for (const server of scenario.results)
        expect(page).toMatch(new RegExp(`\\n\\| ${server.label.replace(/[()]/g, '\\$&')} \\| [0-9]`));
    }
    // Every table row has as many cells as its head.
    const tables = page.split('\n').filter((line) => line.startsWith('|'));
    let cells = 0;
    for (const line of tables) {
      const count = line.split('|').length;
      if (line.startsWith('| server |')) cells = count;
      else expect(count).toBe(cells);
    }
  });

  it('draws one well-formed SVG bar chart per scenario, a bar per server', () => {
    for (const scenario of results.scenarios) {
      const svg = readFileSync(join(charts, `${scenario.id}.svg`), 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).toContain(`<title>${scenario.title}`);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      // Tags balance: every element is self-closed or closed.
      const opened = (svg.match(/<(text|svg|title)\b/g) ?? []).length;
      const closed = (svg.match(/<\/(text|svg|title)>/g) ?? []).length;
      expect(closed).toBe(opened);
      expect(svg).not.toMatch(/NaN|undefined|Infinity/);
      const bars = [...svg.matchAll(/<rect x="250" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
      expect(bars).toHaveLength(scenario.results.length);
      for (const width of bars) expect(width).toBeGreaterThan(0);
    }
  });
});
