import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamResponse } from '@bbws/responses';
import { TestClient } from '@bbws/testing';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Body,
  Controller,
  createApp,
  Get,
  Param,
  Post,
  toFetchHandler,
  toNodeListener,
} from '../src/index.js';

@Controller('::/a')
class AdapterController {
  @Get('/hello') hello() {
    return 'Hello from bbwebservice!';
  }
  @Get('/n/{n:int}', { type: 'application/json' }) n(@Param('n') n: number) {
    return { n, type: typeof n };
  }
  @Post('/json', { type: 'application/json' }) json(@Body(z.object({ x: z.number() })) body: { x: number }) {
    return { doubled: body.x * 2 };
  }
  @Get('/stream', { type: 'dynamic' }) stream() {
    return new StreamResponse(
      (async function* () {
        yield 'one,';
        yield 'two';
      })(),
      { mimeType: 'text/plain' },
    );
  }
}

const app = createApp({ controllers: [AdapterController], config: { max_body_size: 64 } });
const fetchHandler = toFetchHandler(app);

describe('fetch adapter', () => {
  it('answers like the socket transport', async () => {
    const res = await fetchHandler(new Request('http://localhost:5000/a/hello'));
    const memory = await TestClient.fromApp(app).get('/a/hello');
    expect(res.status).toBe(memory.status);
    expect(await res.text()).toBe(memory.text());
    expect(res.headers.get('content-type')).toBe(memory.headers['content-type']);
  });

  it('converts template params and validates bodies', async () => {
    expect(await (await fetchHandler(new Request('http://h/a/n/41'))).json()).toEqual({
      n: 41,
      type: 'number',
    });
    const ok = await fetchHandler(
      new Request('http://h/a/json', {
        method: 'POST',
        body: '{"x":2}',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(await ok.json()).toEqual({ doubled: 4 });
    const bad = await fetchHandler(
      new Request('http://h/a/json', {
        method: 'POST',
        body: '{"x":"2"}',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(bad.status).toBe(400);
  });

  it('streams StreamResponse bodies and refuses bodies over max_body_size', async () => {
    expect(await (await fetchHandler(new Request('http://h/a/stream'))).text()).toBe('one,two');
    const big = await fetchHandler(new Request('http://h/a/json', { method: 'POST', body: 'x'.repeat(65) }));
    expect(big.status).toBe(413);
  });

  it('routes by the Host domain and answers 404/405 as the transport does', async () => {
    expect((await fetchHandler(new Request('http://h/none'))).status).toBe(404);
    const res = await fetchHandler(new Request('http://h/a/hello', { method: 'DELETE' }));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('node:http adapter', () => {
  const server = http.createServer(toNodeListener(app));
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves the app behind node:http', async () => {
    const res = await request(`${base}/a/hello`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('Hello from bbwebservice!');
    const streamed = await request(`${base}/a/stream`);
    expect(streamed.headers['transfer-encoding']).toBe('chunked');
    expect(await streamed.body.text()).toBe('one,two');
  });

  it('gives the endpoint ip and port of the host socket to selectors', async () => {
    const json = await request(`${base}/a/n/7`);
    expect(await json.body.json()).toEqual({ n: 7, type: 'number' });
  });

  it('refuses a body over max_body_size with 413', async () => {
    const res = await request(`${base}/a/json`, { method: 'POST', body: 'x'.repeat(100) });
    expect(res.statusCode).toBe(413);
    await res.body.dump();
  });
});
