import { connect } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/index.js';

// The fixture imports the built dist/ (pool workers import real JavaScript): run `pnpm build` first.
let app: App;
let port: number;

beforeAll(async () => {
  ({ app } = (await import('./fixtures/offload-app.mjs')) as { app: App });
  await app.start({ handleSignals: false });
  port = app.addresses[0]?.port ?? 0;
});

afterAll(async () => {
  await app.stop();
});

interface FloodState {
  produced: number;
  finished: boolean;
}

async function floodState(): Promise<FloodState> {
  const response = await request(`http://127.0.0.1:${port}/flood-state`);
  return (await response.body.json()) as FloodState;
}

async function until(condition: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe('a StreamResponse from an offloaded route', () => {
  it('streams with chunked coding', async () => {
    // (No inline twin here: under vitest the main thread's core is the TypeScript source, whose
    // StreamResponse class is not the fixture's built one; the worker has a single copy.)
    const offloaded = await request(`http://127.0.0.1:${port}/stream`);
    expect(offloaded.statusCode).toBe(200);
    expect(offloaded.headers['transfer-encoding']).toBe('chunked');
    expect(offloaded.headers['content-type']).toBe('text/plain');
    expect(await offloaded.body.text()).toBe('ab');
  });

  it('a client that does not read stops the generator in the worker; leaving runs its finally', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /flood HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await new Promise((resolve) => socket.once('data', resolve));
    socket.pause(); // read nothing more: the socket buffers fill, then the credit runs out

    // The count stops growing: the worker's generator waits for credit.
    let last = -1;
    let settled = false;
    for (let i = 0; i < 50 && !settled; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { produced } = await floodState();
      settled = produced === last;
      last = produced;
    }
    expect(settled).toBe(true);
    // Bounded by socket buffers plus the credit window, far from an endless loop's count.
    expect(last).toBeGreaterThan(0);
    expect(last).toBeLessThan(2000);
    expect((await floodState()).finished).toBe(false);

    socket.destroy();
    expect(await until(async () => (await floodState()).finished)).toBe(true);
  });
});
