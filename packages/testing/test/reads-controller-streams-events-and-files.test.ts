import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get } from '@bbws/core';
import { MIME_TYPE, PartialContent, SseEvent, StreamResponse } from '@bbws/responses';
import { type SseMessage, TestClient } from '@bbws/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { Gate } from './support/gate.js';

const dir = mkdtempSync(join(tmpdir(), 'bbws-testing-'));
const FILE = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
writeFileSync(join(dir, 'data.bin'), FILE);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gate = new Gate();
let isSecondProduced = false;
let isEventSourceClosed = false;

@Controller()
class LiveController {
  @Get('::/ticks', { type: MIME_TYPE.DYNAMIC })
  ticks(): StreamResponse {
    return new StreamResponse(
      (async function* () {
        yield 'first';
        await gate.promise;
        isSecondProduced = true;
        yield 'second';
      })(),
      { mimeType: 'text/plain' },
    );
  }

  @Get('::/events', { type: MIME_TYPE.DYNAMIC })
  events(): StreamResponse {
    return new StreamResponse(
      (async function* () {
        try {
          yield new SseEvent({ n: 1 }, { event: 'tick', id: '1' }).toBytes();
          yield new SseEvent('two\nlines').toBytes();
          for (let n = 3; n < 10_000; n++) {
            yield new SseEvent(String(n), { id: String(n) }).toBytes();
            await new Promise((resolve) => setImmediate(resolve));
          }
        } finally {
          isEventSourceClosed = true;
        }
      })(),
      { mimeType: MIME_TYPE.EVENT_STREAM },
    );
  }

  @Get('::/file', { type: MIME_TYPE.BINARY })
  file(): PartialContent {
    return new PartialContent('data.bin', { root: dir });
  }
}

describe('with controllers', () => {
  it('a StreamResponse arrives chunk by chunk, before the handler produced the rest', async () => {
    const client = await TestClient.create({ controllers: [LiveController] });
    const res = await client.stream('/ticks');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const chunks: string[] = [];
    for await (const chunk of res) {
      chunks.push(chunk.toString());
      if (chunks.length === 1) {
        expect(isSecondProduced).toBe(false);
        gate.open();
      }
    }
    expect(chunks).toEqual(['first', 'second']);
  });

  it('SseEvents come out of client.sse() parsed, and leaving the loop closes the source', async () => {
    const client = await TestClient.create({ controllers: [LiveController] });
    const events: SseMessage[] = [];
    for await (const event of client.sse('/events')) if (events.push(event) === 4) break;
    expect(events).toEqual([
      { event: 'tick', id: '1', data: '{"n":1}' },
      { event: undefined, id: undefined, data: 'two\nlines' },
      { event: undefined, id: '3', data: '3' },
      { event: undefined, id: '4', data: '4' },
    ]);
    await expect.poll(() => isEventSourceClosed).toBe(true);
  });

  it('PartialContent answers a range with a Content-Range the helper parses', async () => {
    const client = await TestClient.create({ controllers: [LiveController] });
    const res = await client.get('/file', { range: { start: 100, end: 199 } });
    expect(res.status).toBe(206);
    expect(res.contentRange).toEqual({ unit: 'bytes', start: 100, end: 199, size: 1000 });
    expect(res.bytes().equals(FILE.subarray(100, 200))).toBe(true);
  });

  it('PartialContent answers several ranges as multipart/byteranges that byteRanges() splits', async () => {
    const client = await TestClient.create({ controllers: [LiveController] });
    const res = await client.get('/file', { range: [{ start: 0, end: 9 }, { suffix: 10 }] });
    expect(res.status).toBe(206);
    const parts = res.byteRanges();
    expect(parts.map((p) => p.contentRange)).toEqual([
      { unit: 'bytes', start: 0, end: 9, size: 1000 },
      { unit: 'bytes', start: 990, end: 999, size: 1000 },
    ]);
    expect(parts[0]?.body.equals(FILE.subarray(0, 10))).toBe(true);
    expect(parts[1]?.body.equals(FILE.subarray(990))).toBe(true);
  });

  it('PartialContent answers an unsatisfiable range with 416 and the size', async () => {
    const client = await TestClient.create({ controllers: [LiveController] });
    const res = await client.get('/file', { range: { start: 5000 } });
    expect(res.status).toBe(416);
    expect(res.contentRange).toEqual({ unit: 'bytes', start: null, end: null, size: 1000 });
  });
});
