import { TestClient } from '@bbws/testing';
import { describe, expect, it } from 'vitest';
import { Controller, CoreError, Get, Post } from '../src/index.js';

@Controller('::/c')
class CorsController {
  @Get('/data') data() {
    return 'data';
  }
  @Post('/data') write() {
    return 'written';
  }
}

const preflight = (client: TestClient, origin: string) =>
  client.request({
    method: 'OPTIONS',
    path: '/c/data',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type',
    },
  });

describe('CORS', () => {
  it('is off by default: no CORS headers, preflight gets the plain OPTIONS answer', async () => {
    const client = await TestClient.create({ controllers: [CorsController] });
    expect(client.app.getCorsSettings()).toBeNull();
    const res = await client.get('/c/data', { headers: { Origin: 'https://a.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await preflight(client, 'https://a.example');
    expect(pre.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('answers preflight automatically and decorates actual responses', async () => {
    const client = await TestClient.create({ controllers: [CorsController] });
    client.app.enableCors({
      allowOrigin: '*',
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['Content-Type'],
      exposeHeaders: ['X-Total-Count'],
      maxAge: 600,
    });
    const pre = await preflight(client, 'https://a.example');
    expect(pre.status).toBe(204);
    expect(pre.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'Content-Type',
      'access-control-max-age': '600',
    });
    const res = await client.get('/c/data', { headers: { Origin: 'https://a.example' } });
    expect(res.text()).toBe('data');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toBe('X-Total-Count');
  });

  it('with an origin list, echoes allowed origins with Vary and ignores others', async () => {
    const client = await TestClient.create({ controllers: [CorsController] });
    client.app.enableCors({ allowOrigin: ['https://app.example'], allowCredentials: true });
    const ok = await client.get('/c/data', { headers: { Origin: 'https://app.example' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    expect(ok.headers.vary).toBe('Origin');
    const no = await client.get('/c/data', { headers: { Origin: 'https://evil.example' } });
    expect(no.headers['access-control-allow-origin']).toBeUndefined();
    expect(no.text()).toBe('data');
  });

  it('can be turned off and on at run time; getCorsSettings reports it', async () => {
    const client = await TestClient.create({ controllers: [CorsController] });
    client.app.enableCors({ allowOrigin: 'https://x.example' });
    expect(client.app.getCorsSettings()?.allowOrigin).toBe('https://x.example');
    client.app.disableCors();
    expect(client.app.getCorsSettings()).toBeNull();
    const res = await client.get('/c/data', { headers: { Origin: 'https://x.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses credentials with "*" and malformed settings at configuration time', async () => {
    const client = await TestClient.create({ controllers: [CorsController] });
    expect(() => client.app.enableCors({ allowOrigin: '*', allowCredentials: true })).toThrow(CoreError);
    expect(() => client.app.enableCors({ allowOrigin: 'not an origin' })).toThrow(/not an origin/);
    expect(() => client.app.enableCors({ allowHeaders: ['Bad Header'] })).toThrow(/not a token/);
    expect(client.app.getCorsSettings()).toBeNull();
  });
});
