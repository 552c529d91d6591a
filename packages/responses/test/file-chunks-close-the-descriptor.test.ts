import { fstatSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { FileChunks } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'bbws-chunks-'));
const path = join(dir, 'f.bin');
const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
writeFileSync(path, bytes);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether `fd` is still open once pending closes (they run on the thread pool) had time to finish. */
async function isOpen(fd: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    try {
      fstatSync(fd);
    } catch {
      return false;
    }
    await setTimeout(10);
  }
  return true;
}

describe('FileChunks', () => {
  it('reads segments in chunks of at most chunkSize, with framing bytes in between', async () => {
    const fd = openSync(path, 'r');
    const chunks = new FileChunks(fd, [Buffer.from('<'), { start: 10, end: 259 }, Buffer.from('>')], 100);
    const out: Buffer[] = [];
    for await (const chunk of chunks) out.push(Buffer.from(chunk));
    expect(out.map((c) => c.length)).toEqual([1, 100, 100, 50, 1]);
    expect(
      Buffer.concat(out).equals(Buffer.concat([Buffer.from('<'), bytes.subarray(10, 260), Buffer.from('>')])),
    ).toBe(true);
    expect(await isOpen(fd)).toBe(false);
  });

  it('closes the descriptor on return() before the first pull (HEAD, client gone)', async () => {
    const fd = openSync(path, 'r');
    const chunks = new FileChunks(fd, [{ start: 0, end: 999 }], 100);
    await chunks.return();
    expect(await isOpen(fd)).toBe(false);
    expect(await chunks.next()).toEqual({ done: true, value: undefined });
  });

  it('fails, and closes, when the file is shorter than promised', async () => {
    const fd = openSync(path, 'r');
    const chunks = new FileChunks(fd, [{ start: 900, end: 1099 }], 1000);
    await expect(chunks.next()).rejects.toThrow(/ended 100 bytes early/);
    expect(await isOpen(fd)).toBe(false);
  });
});
