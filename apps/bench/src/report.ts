/**
 * The suite's report: docs/benchmarks.md's generated section (between `<!-- bench:begin -->`
 * and `<!-- bench:end -->`; the rest of the page is written by hand) and one SVG bar chart per
 * scenario, all from the results JSON.
 *
 *   node apps/bench/dist/report.js [results.json] [--docs FILE] [--charts DIR]   # pnpm bench:report
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetricDef, ScenarioResult, ServerResult, SuiteResults } from './suite/model.js';
import { median } from './suite/tools.js';

export const BEGIN = '<!-- bench:begin -->';
export const END = '<!-- bench:end -->';

export interface Bar {
  readonly text: string;
  readonly figure: string;
  /** null: the run did not measure it. */
  readonly met: boolean | null;
}

function find(results: SuiteResults, scenario: string, server: string): ServerResult | undefined {
  return results.scenarios.find((s) => s.id === scenario)?.results.find((r) => r.id === server);
}

/** The median over rounds of a's figure over b's in the same round. */
function ratio(
  results: SuiteResults,
  scenario: string,
  a: string,
  b: string,
  key: string,
): number | undefined {
  const x = find(results, scenario, a);
  const y = find(results, scenario, b);
  if (x === undefined || y === undefined || x.rounds.length === 0 || x.rounds.length !== y.rounds.length)
    return undefined;
  return median(x.rounds.map((r, i) => (r[key] as number) / (y.rounds[i]?.[key] as number)));
}

function value(results: SuiteResults, scenario: string, server: string, key: string): number | undefined {
  const v = find(results, scenario, server)?.median[key];
  return v === undefined || Number.isNaN(v) ? undefined : v;
}

/** The bars of issue 15, judged on this run. */
export function bars(results: SuiteResults): Bar[] {
  const out: Bar[] = [];
  const judge = (text: string, v: number | undefined, limit: number, shown: (v: number) => string) =>
    out.push({
      text,
      figure: v === undefined ? 'not measured' : shown(v),
      met: v === undefined ? null : v <= limit,
    });
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const mib = (v: number) => `${v.toFixed(1)} MiB`;
  const x = (v: number) => `${v.toFixed(2)}x`;
  judge(
    'Cold start of the quickstart (spawn to first 200) at most 150 ms',
    value(results, 'cold-start', 'quickstart', 'coldMs'),
    150,
    ms,
  );
  const quick = value(results, 'cold-start', 'quickstart', 'coldMs');
  const hono = value(results, 'cold-start', 'hono', 'coldMs');
  out.push({
    text: "Cold start of the quickstart below Hono's",
    figure: quick === undefined || hono === undefined ? 'not measured' : `${ms(quick)} vs ${ms(hono)}`,
    met: quick === undefined || hono === undefined ? null : quick < hono,
  });
  judge(
    'Quickstart RSS after start at most 50 MiB',
    value(results, 'cold-start', 'quickstart', 'rssMiB'),
    50,
    mib,
  );
  const idle = results.meta.idleConnections === 10_000 ? value(results, 'idle', 'ours', 'rssMiB') : undefined;
  judge('RSS with 10,000 idle keep-alive connections at most 110 MiB', idle, 110, mib);
  judge(
    'CPU per request, browser-like heads, at most 1.1x raw net',
    ratio(results, 'browser-like', 'ours', 'raw-net', 'cpuUs'),
    1.1,
    x,
  );
  judge(
    'CPU per request, browser-like heads, at most 0.65x Fastify',
    ratio(results, 'browser-like', 'ours', 'fastify', 'cpuUs'),
    0.65,
    x,
  );
  judge(
    'CPU per request, repeated heads (plaintext), at most 1.05x raw net',
    ratio(results, 'plaintext', 'ours', 'raw-net', 'cpuUs'),
    1.05,
    x,
  );
  return out;
}

function format(v: number | undefined, unit: string): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  const digits = Math.abs(v) >= 1000 ? 0 : Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  const text = v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === '/s' || unit === '' ? text : `${text} ${unit}`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A horizontal bar chart of one metric's medians, drawn as SVG text. */
export function chart(scenario: ScenarioResult, metric: MetricDef, mode: string): string {
  const rows = scenario.results
    .map((r) => ({ label: r.label, id: r.id, v: r.median[metric.key] }))
    .filter((r): r is { label: string; id: string; v: number } => r.v !== undefined && Number.isFinite(r.v));
  const width = 760;
  const left = 250;
  const right = 110;
  const rowHeight = 28;
  const top = 56;
  const height = top + rows.length * rowHeight + 30;
  const max = Math.max(...rows.map((r) => r.v), 1e-9);
  const scale = (width - left - right) / max;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    `<title>${escapeXml(`${scenario.title}: ${metric.label}`)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="bold">${escapeXml(scenario.title)}</text>`,
    `<text x="16" y="44" fill="#555555">${escapeXml(`${metric.label}${metric.unit ? ` (${metric.unit})` : ''}, median, ${metric.better} is better${mode === 'smoke' ? ' (smoke run)' : ''}`)}</text>`,
  ];
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    const w = Math.max(1, row.v * scale);
    const ours = row.id.startsWith('ours') || row.id === 'quickstart';
    parts.push(
      `<text x="${left - 8}" y="${y + 18}" text-anchor="end">${escapeXml(row.label)}</text>`,
      `<rect x="${left}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${ours ? '#2b6cb0' : '#a0aec0'}"/>`,
      `<text x="${(left + w + 6).toFixed(1)}" y="${y + 18}">${escapeXml(format(row.v, metric.unit))}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** The generated markdown section, without the markers. */
export function section(results: SuiteResults, chartsRel: string): string {
  const m = results.meta;
  const out: string[] = [];
  out.push(
    `Generated by \`apps/bench/src/report.ts\` from \`apps/bench/results/latest.json\`; do not edit by hand (\`pnpm bench\` measures and regenerates, \`pnpm bench:report\` only regenerates).`,
    '',
    `Run: ${m.mode}, ${m.startedAt.slice(0, 16).replace('T', ' ')} to ${m.finishedAt.slice(11, 16)} UTC, Node ${m.node.slice(1)}, ${m.cpu}. ` +
      `${m.rounds} round(s), ${m.warmupSeconds} s warm-up and ${m.seconds} s measured per server and scenario, wrk -t1 -c${m.connections} ` +
      `(-c${Math.min(32, m.connections)} for ranged reads), ${m.sseClients} SSE clients, ${m.idleConnections.toLocaleString('en-US')} idle connections, ` +
      `cold start median of ${m.coldStartSamples}. Load average before ${m.loadAverage.before.split(' ').slice(0, 3).join(' ')}, after ${m.loadAverage.after.split(' ').slice(0, 3).join(' ')}. ` +
      `Command: \`${m.command}\`.`,
    '',
    'Figures are medians over the rounds; "x F" is the median over the rounds of the figure over Fastify\'s in the same round. Server CPU per request is the server process\'s user + system time (all threads, `/proc/PID/stat` fields 14 and 15) during the measured run over the requests wrk counted; peak RSS is `VmHWM` (reset before the measured run).',
    '',
  );
  if (m.mode === 'smoke') {
    out.push('Smoke run: figures from one short round, to show the suite works; bars are not judged.', '');
  } else {
    out.push('### Bars (issue 15)', '', '| bar | this run | met |', '|---|---|---|');
    for (const bar of bars(results)) {
      out.push(
        `| ${bar.text} | ${bar.figure} | ${bar.met === null ? 'not measured' : bar.met ? '**met**' : '**not met**'} |`,
      );
    }
    out.push('');
  }
  for (const scenario of results.scenarios) {
    out.push(`### ${scenario.title}`, '', scenario.description, '');
    const skipped = Object.entries(scenario.skipped);
    if (skipped.length > 0)
      out.push(`Left out: ${skipped.map(([id, why]) => `${id} (${why})`).join('; ')}.`, '');
    const charted = scenario.metrics.find((x) => x.chart);
    if (charted !== undefined)
      out.push(`![${scenario.title}: ${charted.label}](${chartsRel}/${scenario.id}.svg)`, '');
    const header = scenario.metrics.map(
      (x) => `${x.label}${x.unit && x.unit !== '/s' ? ` (${x.unit})` : ''}`,
    );
    const hasFastify = scenario.results.some((r) => r.id === 'fastify' && r.rounds.length > 0);
    out.push(
      `| server | ${header.map((h) => (hasFastify ? `${h} | x F` : h)).join(' | ')} |`,
      `|---|${scenario.metrics.map(() => (hasFastify ? '---:|---:' : '---:')).join('|')}|`,
    );
    for (const r of scenario.results) {
      const cells = scenario.metrics.map((x) => {
        const v = format(r.median[x.key], ''); // the unit is in the column's head
        if (!hasFastify) return v;
        const ratioToFastify = r.vsFastify[x.key];
        return `${v} | ${ratioToFastify === undefined || Number.isNaN(ratioToFastify) ? '–' : `${ratioToFastify.toFixed(2)}x`}`;
      });
      out.push(`| ${r.label} | ${cells.join(' | ')} |`);
    }
    if (charted !== undefined && results.meta.rounds > 1) {
      const perRound = scenario.results
        .filter((r) => r.rounds.length > 0)
        .map((r) => `${r.label} ${r.rounds.map((f) => format(f[charted.key], '')).join(' / ')}`);
      out.push('', `Per round, ${charted.label}: ${perRound.join('; ')}.`);
    }
    const failed = scenario.results.filter((r) => r.errors !== undefined && r.errors.length > 0);
    for (const r of failed) out.push('', `${r.label} failed: ${(r.errors ?? []).join('; ')}`);
    const wrkErrors = scenario.results.filter(
      (r) => (r.median.non2xx ?? 0) > 0 || (r.median.socketErrors ?? 0) > 0,
    );
    for (const r of wrkErrors) {
      out.push(
        '',
        `${r.label}: wrk counted ${r.median.non2xx ?? 0} non-2xx answers and ${r.median.socketErrors ?? 0} socket errors (median per round).`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/** Writes the charts and replaces the section between the markers (appended when absent). */
export function writeReport(results: SuiteResults, where: { markdown: string; charts: string }): void {
  mkdirSync(where.charts, { recursive: true });
  for (const scenario of results.scenarios) {
    const metric = scenario.metrics.find((x) => x.chart);
    if (metric !== undefined)
      writeFileSync(join(where.charts, `${scenario.id}.svg`), chart(scenario, metric, results.meta.mode));
  }
  const rel = relative(dirname(where.markdown), where.charts) || '.';
  const generated = `${BEGIN}\n${section(results, rel)}\n${END}`;
  let page: string;
  try {
    page = readFileSync(where.markdown, 'utf8');
  } catch {
    page = `# Benchmarks\n`;
  }
  const begin = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (begin !== -1 && end > begin) page = page.slice(0, begin) + generated + page.slice(end + END.length);
  else page = `${page.trimEnd()}\n\n${generated}\n`;
  writeFileSync(where.markdown, page);
}

if (basename(process.argv[1] ?? '') === 'report.js' && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const at = args.indexOf(`--${name}`);
    return at === -1 ? undefined : args[at + 1];
  };
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const input =
    args[0] !== undefined && !args[0].startsWith('--')
      ? args[0]
      : join(root, 'apps/bench/results/latest.json');
  const results = JSON.parse(readFileSync(input, 'utf8')) as SuiteResults;
  writeReport(results, {
    markdown: opt('docs') ?? join(root, 'docs/benchmarks.md'),
    charts: opt('charts') ?? join(root, 'docs/benchmarks'),
  });
}
