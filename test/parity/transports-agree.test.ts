import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { ByteReader, type RawResponse, readResponse } from '@bbws/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, isRaw, type ParityCase, RUNTIMES } from './cases.js';
import { makeContentDir, parityApp } from './parity-app.js';
import { fetchAdapter, inMemory, nodeAdapter, type ParityTransport, tcp } from './transports.js';

const content = makeContentDir();
const app = parityApp(content.dir);
let transports: ParityTransport[] = [];

beforeAll(async () => {
  await app.start({ handleSignals: false });
  const ports = app.addresses.map((address) => address.port);
  transports = [inMemory(app, ports), tcp(ports), await nodeAdapter(app), await fetchAdapter(app)];
});
afterAll(async () => {
  for (const t of transports) await t.close();
  await app.stop();
  content.remove();
});

/**
 * What may differ between two runs of the same request: the Date line, and the random
 * boundary of a multipart/byteranges answer. Everything else must be the same bytes.
 */
function normalize(wire: Buffer): string {
  let text = wire.toString('latin1').replace(/\r\nDate: [^\r\n]*/g, '\r\nDate: <date>');
  for (const [, boundary] of text.matchAll(/boundary=([^\s;\r]+)/g))
    text = text.split(boundary as string).join('<boundary>');
  return text;
}

/** Parses the responses in `wire` (pipelined answers come back to back). */
async function responsesIn(wire: Buffer, c: ParityCase): Promise<RawResponse[]> {
  const stream = new PassThrough();
  stream.end(wire);
  const reader = new ByteReader(stream);
  const count = isRaw(c) ? (c.responses ?? 1) : 1;
  const responses: RawResponse[] = [];
  for (let i = 0; i < count; i++)
    responses.push(await readResponse(reader, !isRaw(c) && c.method === 'HEAD'));
  return responses;
}

/** Fields a host server writes for itself (RFC 9112 framing and connection management, Date). */
const HOST_FIELDS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

interface Message {
  readonly status: number;
  readonly headers: string[];
  readonly body: string;
}

/**
 * Status, the application's header fields, and the body without transfer coding. For a host
 * whose `Headers` sort names and join repeated fields (all but Set-Cookie) with `, `, the
 * fields are put in that form, on both sides of the comparison.
 */
function message(response: RawResponse, headerOrder: ParityTransport['headerOrder']): Message {
  let fields = response.headerList.filter(([name]) => !HOST_FIELDS.has(name));
  if (headerOrder === 'sorted') {
    const joined: Array<[string, string]> = [];
    for (const [name, value] of fields) {
      const same = name === 'set-cookie' ? undefined : joined.find(([n]) => n === name);
      if (same === undefined) joined.push([name, value]);
      else same[1] = `${same[1]}, ${value}`;
    }
    fields = joined.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return withoutBoundary({
    status: response.status,
    headers: fields.map(([n, v]) => `${n}: ${v}`),
    body: response.body.toString('latin1'),
  });
}

function withoutBoundary(m: Message): Message {
  const boundary = /boundary=([^\s;,]+)/.exec(m.headers.join('\n'))?.[1];
  if (boundary === undefined) return m;
  const replace = (s: string) => s.split(boundary).join('<boundary>');
  return { status: m.status, headers: m.headers.map(replace), body: replace(m.body) };
}

/** What `other` answered next to the reference's answer, in the form their level compares. */
async function compared(
  other: ParityTransport,
  c: ParityCase,
  expected: Buffer,
): Promise<{ got: unknown; want: unknown }> {
  const actual = await other.exchange(c);
  if (other.level === 'bytes') return { got: normalize(actual), want: normalize(expected) };
  const want = (await responsesIn(expected, c)).map((r) => message(r, other.headerOrder));
  try {
    return { got: (await responsesIn(actual, c)).map((r) => message(r, other.headerOrder)), want };
  } catch (error) {
    // Not a readable answer at all (the host closed early, say): it differs, and says how.
    return { got: `unreadable: ${(error as Error).message}`, want };
  }
}

describe('in-memory, TCP, the node adapter and the fetch adapter', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('agree on %s', async (_, c) => {
    const [reference, ...others] = transports;
    if (reference === undefined) throw new Error('no transport');
    const expected = await reference.exchange(c);
    expect(expected.length, `${reference.name} answered nothing`).toBeGreaterThan(0);
    if (c.status !== undefined) expect((await responsesIn(expected, c))[0]?.status).toBe(c.status);
    for (const other of others) {
      const { got, want } = await compared(other, c, expected);
      if (c.differsOn?.includes(other.name) === true) {
        // Listed in docs/testing.md as a difference: it must still be one, else unlist it.
        expect
          .soft(got, `${other.name} now agrees on "${c.name}": remove it from differsOn and the docs`)
          .not.toEqual(want);
      } else {
        expect.soft(got, `${other.name} vs ${reference.name}`).toEqual(want);
      }
    }
  });

  it('cover every feature family at least once', () => {
    // A guard against the table shrinking by accident.
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });
});

/** The rows of the table under `heading`: first cell a backticked case name, then runtimes, then why. */
function documentedDifferences(page: string, heading: string): Array<{ pair: string; why: string }> {
  const lines = page.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`docs/testing.md has no heading "${heading}"`);
  const rows: Array<{ pair: string; why: string }> = [];
  let isInTable = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break;
    if (!line.startsWith('|')) {
      if (isInTable) break;
      continue;
    }
    isInTable = true;
    const [name = '', runtimes = '', why = ''] = line
      .slice(1, -1)
      .split(' | ')
      .map((cell) => cell.trim());
    const caseName = /^`(.+)`$/.exec(name)?.[1];
    if (caseName === undefined) continue; // the header and separator rows
    for (const runtime of runtimes.split(',')) rows.push({ pair: `${caseName} | ${runtime.trim()}`, why });
  }
  return rows;
}

describe('docs/testing.md, "What differs between runtimes and why"', () => {
  it('lists exactly the differences the cases declare, each with a reason', () => {
    const page = readFileSync(new URL('../../docs/testing.md', import.meta.url), 'utf8');
    const rows = documentedDifferences(page, '### What differs between runtimes and why');
    const declared = CASES.flatMap((c) => (c.differsOn ?? []).map((runtime) => `${c.name} | ${runtime}`));
    expect(rows.map((r) => r.pair).sort()).toEqual([...declared].sort());
    for (const row of rows) expect(row.why.length, row.pair).toBeGreaterThan(20);
  });

  it('names only adapters: in-memory and TCP run the same connection code and never differ', () => {
    const runtimes = new Set(CASES.flatMap((c) => c.differsOn ?? []));
    for (const runtime of runtimes) expect(RUNTIMES.slice(2)).toContain(runtime);
  });
});
