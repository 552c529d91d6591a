import { PassThrough } from 'node:stream';
import { ByteReader, type RawResponse, readResponse } from '@bbws/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, isRaw, type ParityCase } from './cases.js';
import { makeContentDir, parityApp } from './parity-app.js';
import { inMemory, type ParityTransport, tcp } from './transports.js';

const content = makeContentDir();
const app = parityApp(content.dir);
let transports: ParityTransport[] = [];

beforeAll(async () => {
  await app.start({ handleSignals: false });
  const port = app.addresses[0]?.port ?? 0;
  transports = [inMemory(app, port), tcp(port)];
});
afterAll(async () => {
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

describe('in-memory and TCP transports', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('agree byte for byte on %s', async (_, c) => {
    const [first, ...others] = transports;
    if (first === undefined) throw new Error('no transport');
    const expected = await first.exchange(c);
    expect(expected.length, `${first.name} answered nothing`).toBeGreaterThan(0);
    for (const other of others) {
      const actual = await other.exchange(c);
      expect(normalize(actual), `${other.name} vs ${first.name}`).toBe(normalize(expected));
    }
    if (c.status !== undefined) expect((await firstResponseIn(expected, c)).status).toBe(c.status);
  });

  it('cover every feature family at least once', () => {
    // A guard against the table shrinking by accident.
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });
});
