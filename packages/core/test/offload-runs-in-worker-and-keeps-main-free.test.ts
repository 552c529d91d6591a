import { threadId } from 'node:worker_threads';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/index.js';

// The fixture imports the built dist/ (pool workers import real JavaScript): run `pnpm build` first.
let app: App;
let base: string;

beforeAll(async () => {
  ({ app } = (await import('./fixtures/offload-app.mjs')) as { app: App });
  await app.start({ handleSignals: false });
  base = `http://127.0.0.1:${app.addresses[0]?.port}`;
});

afterAll(async () => {
  await app.stop();
});

async function get(path: string): Promise<{ status: number; text: string }> {
  const response = await request(`${base}${path}`);
  return { status: response.statusCode, text: await response.body.text() };
}

/** Completes both requests and returns their paths in the order their answers arrived. */
async function finishOrder(first: string, second: string): Promise<string[]> {
  const order: string[] = [];
  const slow = get(first).then((r) => {
    expect(r.status).toBe(200);
    order.push(first);
  });
  // Sent only once the first request is being handled (its connection is open and written).
  await new Promise((resolve) => setTimeout(resolve, 50));
  const fast = get(second).then((r) => {
    expect(r.status).toBe(200);
    order.push(second);
  });
  await Promise.all([slow, fast]);
  return order;
}

describe('@Offload() routes', () => {
  it('run in a worker thread, inline routes on the main thread', async () => {
    const offloaded = await get('/thread');
    expect(offloaded.status).toBe(200);
    const worker = JSON.parse(offloaded.text) as { threadId: number };
    expect(worker.threadId).not.toBe(threadId);
    expect((await get('/inline')).text).toBe(`inline in thread ${threadId}`);
  });

  it('a CPU-bound offloaded route answers correctly over a socket', async () => {
    const answer = await get('/spin/20');
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/^spun 20 in thread \d+$/);
    expect(answer.text).not.toBe(`spun 20 in thread ${threadId}`);
  });

  it('an inline route answers while an offloaded one spins', async () => {
    expect(await finishOrder('/spin/400', '/inline')).toEqual(['/inline', '/spin/400']);
  });

  it('the same spin inline blocks the inline route behind it (the contrast)', async () => {
    expect(await finishOrder('/spin-inline/400', '/inline')).toEqual(['/spin-inline/400', '/inline']);
  });

  it('starts the pool at start(): worker_processes threads', () => {
    expect(app.poolSize).toBe(1);
  });
});
