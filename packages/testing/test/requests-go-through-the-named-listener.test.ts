// Issue 12: a TestClient request must go through the listener it names, with that listener's
// limits, TLS flag and https-redirect, exactly as a socket accepted by that listener.
import { Body, Controller, createApp, Get, type HttpRequest, Post, Req } from '@bbws/core';
import { TestClient } from '@bbws/testing';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';

@Controller('::')
class UploadController {
  @Post('/upload')
  upload(@Body() body: unknown): string {
    return `got ${body instanceof Uint8Array ? body.length : String(body).length} bytes`;
  }

  @Get('/where')
  where(@Req() req: HttpRequest): object {
    return { endpoint: req.endpoint };
  }
}

const TLS_ENTRY = { SSL: true, cert_path: '/nonexistent/cert.pem', key_path: '/nonexistent/key.pem' };
const HUNDRED_BYTES = 'x'.repeat(100);

describe('a request to a named listener, in memory', () => {
  it("gets that listener's max_body_size: 413 on port 5001, 200 on the first listener", async () => {
    const client = await TestClient.create({
      controllers: [UploadController],
      config: {
        server: [
          { ip: '127.0.0.1', port: 5000 },
          { ip: '127.0.0.1', port: 5001, max_body_size: 10 },
        ],
      },
    });
    expect((await client.post('/upload', { body: HUNDRED_BYTES })).status).toBe(200);
    expect((await client.post('/upload', { body: HUNDRED_BYTES, port: 5001 })).status).toBe(413);
    expect((await client.post('/upload', { body: 'tiny', port: 5001 })).text()).toBe('got 4 bytes');
  });

  it("gets that listener's https-redirect, except on its escape paths", async () => {
    const client = await TestClient.create({
      controllers: [UploadController],
      config: {
        server: [
          { ip: '127.0.0.1', port: 5000 },
          {
            ip: '127.0.0.1',
            port: 5001,
            'https-redirect': true,
            'https-redirect-escape-paths': ['/.well-known/*'],
          },
        ],
      },
    });
    const redirected = await client.get('/where?x=1', { port: 5001, host: 'example.com:5001' });
    expect(redirected.status).toBe(301);
    expect(redirected.headers['location']).toBe('https://example.com/where?x=1');
    expect((await client.get('/.well-known/acme', { port: 5001 })).status).toBe(404);
    expect((await client.get('/where')).status).toBe(200);
  });

  it("arrives on that listener's ip, port and TLS flag; the first listener by default", async () => {
    const client = await TestClient.create({
      controllers: [UploadController],
      config: {
        server: [
          { ip: 'default', port: 5000 },
          { ip: '[::1]', port: 5001, ...TLS_ENTRY },
        ],
      },
    });
    const endpoint = async (options: Parameters<TestClient['get']>[1]) =>
      (await client.get('/where', options)).json<{ endpoint: object }>().endpoint;
    expect(await endpoint({})).toEqual({ ip: '127.0.0.1', port: 5000, domain: 'localhost', isTls: false });
    expect(await endpoint({ port: 5001 })).toEqual({
      ip: '::1',
      port: 5001,
      domain: 'localhost',
      isTls: true,
    });
    expect(await endpoint({ port: 5001, tls: { servername: 'shop.test' } })).toEqual({
      ip: '::1',
      port: 5001,
      domain: 'shop.test',
      isTls: true,
    });
  });

  it('chooses by ip among listeners that share a port', async () => {
    const client = await TestClient.create({
      controllers: [UploadController],
      config: {
        server: [
          { ip: '127.0.0.1', port: 5000, max_body_size: 10 },
          { ip: '[::1]', port: 5000 },
        ],
      },
    });
    expect((await client.post('/upload', { body: HUNDRED_BYTES })).status).toBe(413);
    expect((await client.post('/upload', { body: HUNDRED_BYTES, ip: '::1' })).status).toBe(200);
    expect((await client.post('/upload', { body: HUNDRED_BYTES, ip: '[::1]', port: 5000 })).status).toBe(200);
  });

  it('refuses a port no listener has, naming the listeners', async () => {
    const client = await TestClient.create({
      controllers: [UploadController],
      config: {
        server: [
          { ip: '127.0.0.1', port: 5000 },
          { ip: '[::1]', port: 5001, ...TLS_ENTRY },
        ],
      },
    });
    const refused = client.get('/where', { port: 5002 });
    await expect(refused).rejects.toMatchObject({ code: 'BBWS_ERR_TRANSPORT_NO_LISTENER' });
    await expect(client.get('/where', { port: 5002 })).rejects.toThrow('127.0.0.1:5000, [::1]:5001 (TLS)');
    expect(() => client.connect({ port: 5002 })).toThrow(/no listener/);
    await expect(client.get('/where', { port: 5000, tls: true })).rejects.toThrow(/not a TLS listener/);
  });
});

describe('a request to a named listener, in memory and over TCP', () => {
  it('gets the same answers from both: limits and https-redirect of the second listener', async () => {
    const app = createApp({
      controllers: [UploadController],
      config: {
        server: [
          { ip: '127.0.0.1', port: 0 },
          { ip: '127.0.0.1', port: 0, max_body_size: 10 },
          { ip: '127.0.0.1', port: 0, 'https-redirect': true },
        ],
      },
      env: {},
    });
    await app.start({ handleSignals: false });
    try {
      const [first, small, redirecting] = app.addresses.map((a) => a.port);
      const client = TestClient.fromApp(app);
      const overTcp = async (port: number | undefined, method: string, path: string, body?: string) => {
        const res = await request(`http://127.0.0.1:${port}${path}`, { method, body });
        return { status: res.statusCode, location: res.headers['location'], text: await res.body.text() };
      };
      const inMemory = async (port: number | undefined, method: string, path: string, body?: string) => {
        const res = await client.request({ method, path, port, body, host: `127.0.0.1:${port}` });
        return { status: res.status, location: res.headers['location'], text: res.text() };
      };
      for (const [port, method, path, body] of [
        [first, 'POST', '/upload', HUNDRED_BYTES],
        [small, 'POST', '/upload', HUNDRED_BYTES],
        [small, 'POST', '/upload', 'tiny'],
        [redirecting, 'GET', '/where?x=1', undefined],
      ] as const) {
        const tcp = await overTcp(port, method, path, body);
        expect(await inMemory(port, method, path, body), `${method} ${path} on port ${port}`).toEqual(tcp);
      }
      expect((await overTcp(small, 'POST', '/upload', HUNDRED_BYTES)).status).toBe(413);
      expect((await overTcp(redirecting, 'GET', '/where?x=1')).status).toBe(301);
    } finally {
      await app.stop();
    }
  });
});
