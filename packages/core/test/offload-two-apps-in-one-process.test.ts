import { threadId } from 'node:worker_threads';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import type { App } from '../src/index.js';
import { createCounterApp, createGreetingApp } from './fixtures/ts-app/greeting-app.js';

const apps: App[] = [];

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
});

async function get(app: App, path: string): Promise<{ status: number; text: string }> {
  const response = await request(`http://127.0.0.1:${app.addresses[0]?.port}${path}`);
  return { status: response.statusCode, text: await response.body.text() };
}

describe('two apps with offloaded routes in one process', () => {
  it('each starts its own pool, whose workers build that app, and each answers its own route', async () => {
    const greeting = createGreetingApp();
    const counter = createCounterApp();
    apps.push(greeting, counter);
    await Promise.all([greeting.start({ handleSignals: false }), counter.start({ handleSignals: false })]);
    expect(greeting.poolSize).toBe(1);
    expect(counter.poolSize).toBe(1);

    const greeted = await get(greeting, '/greet/ana');
    expect(greeted.status).toBe(200);
    expect(greeted.text).toMatch(/^hello ana from thread \d+$/);

    const first = await get(counter, '/count');
    const second = await get(counter, '/count');
    expect(first.status).toBe(200);
    const one = JSON.parse(first.text) as { count: number; threadId: number };
    const two = JSON.parse(second.text) as { count: number; threadId: number };
    // One worker, one controller singleton in it: the count goes on, off the main thread.
    expect([one.count, two.count]).toEqual([1, 2]);
    expect(one.threadId).not.toBe(threadId);
    expect(greeted.text).not.toBe(`hello ana from thread ${one.threadId}`);

    // Neither app serves the other's route.
    expect((await get(greeting, '/count')).status).toBe(404);
    expect((await get(counter, '/greet/ana')).status).toBe(404);
  });
});
