import { readdirSync } from 'node:fs';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { App } from '../src/index.js';

// The fixtures import the built dist/ (pool workers import real JavaScript): run `pnpm build` first.

/** OS threads of this process (Linux): a worker thread is one. */
function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

async function until(condition: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
}

describe('the worker pool', () => {
  it('is not started by an app without offloaded routes', async () => {
    const { app } = (await import('./fixtures/inline-app.mjs')) as { app: App };
    const threads = threadCount();
    await app.start({ handleSignals: false });
    const response = await request(`http://127.0.0.1:${app.addresses[0]?.port}/hello`);
    expect(await response.body.text()).toBe('hello');
    expect(app.poolSize).toBe(0);
    expect(threadCount()).toBe(threads);
    await app.stop();
  });

  it.runIf(process.platform === 'linux')(
    'starts with the app and ends with app.stop(): no thread left',
    async () => {
      const { app } = (await import('./fixtures/offload-app.mjs')) as { app: App };
      const threads = threadCount();
      await app.start({ handleSignals: false });
      expect(app.poolSize).toBe(1);
      expect(threadCount()).toBeGreaterThan(threads);
      const response = await request(`http://127.0.0.1:${app.addresses[0]?.port}/thread`);
      expect(response.statusCode).toBe(200);
      await response.body.text();
      await app.stop();
      expect(app.poolSize).toBe(0);
      expect(await until(() => threadCount() === threads)).toBe(true);
    },
  );
});
