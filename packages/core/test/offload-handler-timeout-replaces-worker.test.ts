import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/index.js';

// The fixture imports the built dist/ (pool workers import real JavaScript): run `pnpm build` first.
// Its config: handler_timeout 0.5 s, one worker, worker_timeout_threshold 0 (replace on the first timeout).
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
  const response = await request(`${base}${path}`, { headersTimeout: 5000 });
  return { status: response.statusCode, text: await response.body.text() };
}

async function workerThread(): Promise<number> {
  return (JSON.parse((await get('/thread')).text) as { threadId: number }).threadId;
}

describe('a handler that never yields', () => {
  it('gets 504, its worker is replaced, and the route works again', async () => {
    const before = await workerThread();
    const stuck = await get('/loop/forever');
    expect(stuck.status).toBe(504);
    expect(stuck.text).toBe('Gateway Timeout');
    // Answered once, by the transport's watchdog: one handler timeout counted.
    expect(app.timeoutCounts()['timeouts.handler']).toBe(1);

    // The replacement starts in the background; on a loaded machine its start-up alone can take
    // longer than handler_timeout, so wait until the pool serves again before timing a route.
    for (let i = 0; i < 20 && (await get('/thread')).status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const again = await get('/loop/once');
    expect(again.status).toBe(200);
    const after = Number(/in thread (\d+)$/.exec(again.text)?.[1]);
    expect(after).not.toBe(before);
    expect(app.poolSize).toBe(1);
    expect(await workerThread()).toBe(after);
  });
});
