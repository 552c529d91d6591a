import { TestClient } from '@bbws/testing';
import { injectable } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { Controller, Get, type Guard, HttpError, type RequestContext, UseGuards } from '../src/index.js';

@injectable()
class TokenGuard implements Guard {
  canActivate(ctx: RequestContext): boolean {
    return ctx.header('authorization') === 'Bearer good';
  }
}

@injectable()
class AsyncAdminGuard implements Guard {
  async canActivate(ctx: RequestContext): Promise<boolean> {
    await Promise.resolve();
    if (ctx.header('x-role') === 'guest') throw new HttpError(401, 'log in first');
    return ctx.header('x-role') === 'admin';
  }
}

@UseGuards(TokenGuard)
@Controller('::/g')
class GuardedController {
  @Get('/open-to-token') token() {
    return 'token ok';
  }

  @UseGuards(AsyncAdminGuard)
  @Get('/admin')
  admin() {
    return 'admin ok';
  }
}

@Controller('::/h')
class PlainController {
  @Get('/x') x() {
    return 'handler';
  }
}

describe('guards', () => {
  it('a class guard refuses with 403 and lets good requests through', async () => {
    const client = await TestClient.create({ controllers: [GuardedController] });
    expect((await client.get('/g/open-to-token')).status).toBe(403);
    const ok = await client.get('/g/open-to-token', { headers: { Authorization: 'Bearer good' } });
    expect(ok.text()).toBe('token ok');
  });

  it('method guards run after class guards; a thrown HttpError sets the status', async () => {
    const client = await TestClient.create({ controllers: [GuardedController] });
    const auth = { Authorization: 'Bearer good' };
    expect((await client.get('/g/admin', { headers: { ...auth, 'X-Role': 'user' } })).status).toBe(403);
    expect((await client.get('/g/admin', { headers: { ...auth, 'X-Role': 'guest' } })).status).toBe(401);
    expect((await client.get('/g/admin', { headers: { 'X-Role': 'admin' } })).status).toBe(403);
    expect((await client.get('/g/admin', { headers: { ...auth, 'X-Role': 'admin' } })).text()).toBe(
      'admin ok',
    );
  });
});

describe('before hooks', () => {
  it('run before every handler; returning a value answers the request', async () => {
    const client = await TestClient.create({ controllers: [PlainController] });
    const seen: string[] = [];
    client.app.use((ctx) => {
      seen.push(ctx.path);
      ctx.response.appendHeader('X-Hooked', 'yes');
      return ctx.header('x-short-circuit') === '1' ? 'from hook' : undefined;
    });
    const normal = await client.get('/h/x');
    expect(normal.text()).toBe('handler');
    expect(normal.headers['x-hooked']).toBe('yes');
    const short = await client.get('/h/x', { headers: { 'X-Short-Circuit': '1' } });
    expect(short.text()).toBe('from hook');
    expect(seen).toEqual(['/h/x', '/h/x']);
  });

  it('a hook that throws HttpError answers with its status', async () => {
    const client = await TestClient.create({ controllers: [PlainController] });
    client.app.use(() => {
      throw new HttpError(429, 'slow down');
    });
    const res = await client.get('/h/x');
    expect(res.status).toBe(429);
    expect(res.json()).toEqual({ error: 'slow down' });
  });
});

describe('response listeners', () => {
  it('hear the status and duration of every answer, errors included', async () => {
    const client = await TestClient.create({ controllers: [PlainController] });
    const heard: Array<[string, number]> = [];
    client.app.onResponse((request, status, durationMs) => {
      expect(durationMs).toBeGreaterThanOrEqual(0);
      heard.push([request.path, status]);
    });
    await client.get('/h/x');
    await client.get('/h/missing');
    expect(heard).toEqual([
      ['/h/x', 200],
      ['/h/missing', 404],
    ]);
  });

  it('a failing listener is logged and the answer stands', async () => {
    const { LogHub } = await import('../src/index.js');
    const lines: string[] = [];
    const logger = new LogHub({ console: false, callback: (message) => lines.push(message) });
    const client = await TestClient.create({ controllers: [PlainController], logger });
    client.app.onResponse(() => {
      throw new Error('listener broke');
    });
    expect((await client.get('/h/x')).text()).toBe('handler');
    expect(lines[0]).toMatch(/a response listener failed: Error: listener broke/);
  });
});
