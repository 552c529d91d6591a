import { PassThrough } from 'node:stream';
import { ByteReader, type RawResponse, readResponse } from '@bbws/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, isRaw, type ParityCase } from './cases.js';
import { makeContentDir, parityApp } from './parity-app.js';
import { inMemory, nodeAdapter, type ParityTransport, tcp } from './transports.js';

const content = makeContentDir();
const app = parityApp(content.dir);
let transports: ParityTransport[] = [];

beforeAll(async () => {
  await app.start({ handleSignals: false });
  const port = app.addresses[0]?.port ?? 0;
  transports = [inMemory(app, port), tcp(port), await nodeAdapter(app)];
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

/** Parses the first response in `wire` (pipelined answers come back to back). */
async function firstResponseIn(wire: Buffer, c: ParityCase): Promise<RawResponse> {
  const stream = new PassThrough();
  stream.end(wire);
  return readResponse(new ByteReader(stream), !isRaw(c) && c.method === 'HEAD');
}

/** Fields a host server writes for itself (RFC 9112 framing and connection management, Date). */
const HOST_FIELDS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** Status, the application's header fields in order, and the body without transfer coding. */
function message(response: RawResponse): { status: number; headers: string[]; body: string } {
  return {
    status: response.status,
    headers: response.headerList.filter(([name]) => !HOST_FIELDS.has(name)).map(([n, v]) => `${n}: ${v}`),
    body: response.body.toString('latin1'),
  };
}

describe('the in-memory transport, TCP and the adapter runtime', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('agree on %s', async (_, c) => {
    const [reference, ...others] = transports;
    if (reference === undefined) throw new Error('no transport');
    const expected = await reference.exchange(c);
    expect(expected.length, `${reference.name} answered nothing`).toBeGreaterThan(0);
    const expectedResponse = await firstResponseIn(expected, c);
    if (c.status !== undefined) expect(expectedResponse.status).toBe(c.status);
    for (const other of others) {
      if (other.level === 'message' && (isRaw(c) || c.isTransportOwned === true)) continue;
      const actual = await other.exchange(c);
      if (other.level === 'bytes') {
        expect(normalize(actual), `${other.name} vs ${reference.name}`).toBe(normalize(expected));
      } else {
        const got = message(await firstResponseIn(actual, c));
        const want = message(expectedResponse);
        expect(normalizeMessage(got), `${other.name} vs ${reference.name}`).toEqual(normalizeMessage(want));
      }
    }
  });

  it('cover every feature family at least once', () => {
    // A guard against the table shrinking by accident.
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });
});

function normalizeMessage(m: { status: number; headers: string[]; body: string }) {
  const boundary = /boundary=([^\s;]+)/.exec(m.headers.join('\n'))?.[1];
  if (boundary === undefined) return m;
  const replace = (s: string) => s.split(boundary).join('<boundary>');
  return { status: m.status, headers: m.headers.map(replace), body: replace(m.body) };
}
