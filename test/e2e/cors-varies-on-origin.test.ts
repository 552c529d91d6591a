import { type App, Controller, createApp, Get } from 'bbwebservice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fetch, memoryFetch, tcpFetch } from '../responses/fixtures.js';

@Controller('::/')
class VaryController {
  @Get('/data') data() {
    return 'data';
  }
}

const PREFLIGHT = { 'access-control-request-method': 'GET' };

let app: App;
beforeAll(async () => {
  app = createApp({ controllers: [VaryController], config: { server: [{ ip: '127.0.0.1', port: 0 }] } });
  await app.start({ handleSignals: false });
});
afterAll(() => app.stop());

/** Every `Vary` token of an answer, lower-cased (undici joins repeated lines with ", "). */
const varyOf = (headers: Readonly<Record<string, string>>): string[] =>
  (headers.vary ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '');

describe.each([
  ['in memory', (a: App) => memoryFetch(a)],
  ['over TCP', (a: App) => tcpFetch(a)],
])('CORS answers that depend on the origin say Vary: Origin (%s)', (_name, make) => {
  let fetch: Fetch;
  beforeAll(() => {
    fetch = make(app);
  });

  describe('with a list of origins', () => {
    beforeAll(() => {
      app.enableCors({ allowOrigin: ['https://app.example', 'https://admin.example'] });
    });

    it('an allowed origin is echoed with Vary: Origin', async () => {
      const res = await fetch('/data', { origin: 'https://app.example' });
      expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(varyOf(res.headers)).toContain('origin');
    });

    it('a refused origin gets no CORS headers but still Vary: Origin', async () => {
      const res = await fetch('/data', { origin: 'https://evil.example' });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(varyOf(res.headers)).toContain('origin');
    });

    it('a request without Origin carries Vary: Origin (a cache must not serve it to a CORS request)', async () => {
      const res = await fetch('/data');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(varyOf(res.headers)).toContain('origin');
    });

    it('a refused preflight is a 204 without CORS headers, with Vary: Origin', async () => {
      const res = await fetch('/data', { origin: 'https://evil.example', ...PREFLIGHT }, 'OPTIONS');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-methods']).toBeUndefined();
      expect(varyOf(res.headers)).toContain('origin');
    });

    it('an allowed preflight carries Vary: Origin', async () => {
      const res = await fetch('/data', { origin: 'https://admin.example', ...PREFLIGHT }, 'OPTIONS');
      expect(res.headers['access-control-allow-origin']).toBe('https://admin.example');
      expect(varyOf(res.headers)).toContain('origin');
    });

    it('errors carry it too (a 404 for a refused origin)', async () => {
      const res = await fetch('/missing', { origin: 'https://evil.example' });
      expect(res.status).toBe(404);
      expect(varyOf(res.headers)).toContain('origin');
    });
  });

  describe('with "*"', () => {
    beforeAll(() => {
      app.enableCors({ allowOrigin: '*' });
    });

    it('the answer does not depend on the origin: no Vary', async () => {
      const res = await fetch('/data', { origin: 'https://any.example' });
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(varyOf(res.headers)).not.toContain('origin');
      expect(varyOf((await fetch('/data')).headers)).not.toContain('origin');
    });
  });

  describe('with CORS off', () => {
    beforeAll(() => {
      app.disableCors();
    });

    it('nothing is added', async () => {
      const res = await fetch('/data', { origin: 'https://app.example' });
      expect(res.headers.vary).toBeUndefined();
    });
  });
});
