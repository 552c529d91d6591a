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

interface Answer {
  status: number;
  type: string | undefined;
  header: string | undefined;
  body: Buffer;
}

async function call(path: string, body?: string): Promise<Answer> {
  const response = await request(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    body,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
  });
  return {
    status: response.statusCode,
    type: response.headers['content-type'] as string | undefined,
    header: response.headers['x-worker'] as string | undefined,
    body: Buffer.from(await response.body.arrayBuffer()),
  };
}

describe('an offloaded route answers as the same route inline would', () => {
  it('a body that fails validation: 400 with the issues as JSON', async () => {
    const bad = JSON.stringify({ name: 1 });
    const offloaded = await call('/echo', bad);
    const inline = await call('/inline/echo', bad);
    expect(offloaded.status).toBe(400);
    expect(inline.status).toBe(400);
    expect(offloaded.type).toBe(inline.type);
    expect(offloaded.body.toString()).toBe(inline.body.toString());
    expect(JSON.parse(offloaded.body.toString())).toHaveProperty('issues');
  });

  it('a valid body reaches the handler in the worker', async () => {
    const offloaded = await call('/echo', JSON.stringify({ name: 'ada', n: 3 }));
    expect(offloaded.status).toBe(200);
    expect(JSON.parse(offloaded.body.toString())).toMatchObject({ got: { name: 'ada', n: 3 } });
  });

  it('an HttpError thrown in the worker: its status and JSON', async () => {
    const offloaded = await call('/teapot');
    const inline = await call('/inline/teapot');
    expect(offloaded.status).toBe(418);
    expect(inline.status).toBe(418);
    expect(offloaded.type).toBe(inline.type);
    expect(offloaded.body.toString()).toBe(inline.body.toString());
  });

  it('ctx.response headers and status set in the worker reach the client', async () => {
    const offloaded = await call('/with-head');
    const inline = await call('/inline/with-head');
    expect(offloaded.status).toBe(201);
    expect(inline.status).toBe(201);
    expect(offloaded.header).toMatch(/^\d+$/);
    expect(offloaded.header).not.toBe(inline.header);
    expect(offloaded.body.toString()).toBe('created');
  });

  it('a byte body crosses back intact, and the handler keeps its bytes', async () => {
    for (let i = 0; i < 2; i++) {
      const offloaded = await call('/bytes');
      expect(offloaded.status).toBe(200);
      expect([...offloaded.body]).toEqual([1, 2, 3, 250]);
    }
  });
});
