import { TestClient } from '@bbws/testing';
import { inject } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { APP, App, Controller, createApp, Get, Post } from '../src/index.js';

// Issue 13: a controller can receive its App (by type, or by the APP token where decorator
// metadata is not emitted) to toggle CORS or read the bound addresses.

@Controller('::/admin')
class Admin {
  constructor(private readonly app: App) {}

  @Post('/cors/on') on() {
    this.app.enableCors({ allowOrigin: ['https://a.example'] });
    return 'on';
  }

  @Get('/addresses', { type: 'application/json' }) addresses() {
    return this.app.addresses;
  }
}

@Controller('::/token')
class ByToken {
  constructor(@inject(APP) private readonly app: App) {}

  @Get('/cors') cors() {
    return this.app.getCorsSettings() === null ? 'off' : 'on';
  }
}

describe('the App is injectable', () => {
  it('by type: a controller turns CORS on for the next requests', async () => {
    const client = await TestClient.create({ controllers: [Admin, ByToken] });
    const origin = { headers: { origin: 'https://a.example' } };
    expect(
      (await client.get('/admin/addresses', origin)).headers['access-control-allow-origin'],
    ).toBeUndefined();
    expect((await client.get('/token/cors')).text()).toBe('off');
    await client.post('/admin/cors/on');
    expect((await client.get('/admin/addresses', origin)).headers['access-control-allow-origin']).toBe(
      'https://a.example',
    );
    expect((await client.get('/token/cors')).text()).toBe('on');
    client.close();
  });

  it('is the app itself: it reads the addresses it is bound to', async () => {
    const app = createApp({
      controllers: [Admin],
      config: { server: [{ ip: '127.0.0.1', port: 0 }] },
      env: {},
    });
    await app.start({ handleSignals: false });
    try {
      expect(app.container.resolve(App)).toBe(app);
      expect(app.container.resolve(APP)).toBe(app);
      const port = app.addresses[0]?.port;
      const res = await fetch(`http://127.0.0.1:${port}/admin/addresses`);
      expect(await res.json()).toEqual([expect.objectContaining({ ip: '127.0.0.1', port })]);
    } finally {
      await app.stop();
    }
  });
});
