import { threadId } from 'node:worker_threads';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/index.js';

// The fixture imports the built dist/ (pool workers import real JavaScript): run `pnpm build` first.
let app: App;

beforeAll(async () => {
  ({ app } = (await import('./fixtures/pool-placement-app.mjs')) as { app: App });
  await app.start({ handleSignals: false });
});

afterAll(async () => {
  await app.stop();
});

describe('handler_placement: "pool"', () => {
  it('runs a route without @Offload() in one of worker_processes threads', async () => {
    expect(app.poolSize).toBe(2);
    const response = await request(`http://127.0.0.1:${app.addresses[0]?.port}/where`);
    expect(response.statusCode).toBe(200);
    const body = (await response.body.json()) as { threadId: number };
    expect(body.threadId).not.toBe(threadId);
  });
});
