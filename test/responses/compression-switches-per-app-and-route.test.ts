import { gunzipSync } from 'node:zlib';
import { type App, Controller, createApp, Get, MIME_TYPE } from 'bbwebservice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fetch, memoryFetch, tcpFetch } from './fixtures.js';

const BIG_TEXT = 'The quick brown fox jumps over the lazy dog. '.repeat(200);
const MID_TEXT = 'abcdefghij'.repeat(30); // 300 bytes: under the default 1 KiB, over a 256-byte min_bytes

@Controller('::/')
class SwitchController {
  @Get('/on')
  on() {
    return BIG_TEXT;
  }

  @Get('/off', { compress: false })
  off() {
    return BIG_TEXT;
  }

  @Get('/off-json', { type: MIME_TYPE.JSON, compress: false })
  offJson() {
    return { text: BIG_TEXT };
  }

  @Get('/mid')
  mid() {
    return MID_TEXT;
  }
}

const ALL = { 'accept-encoding': 'br, gzip' };
const listen = { server: [{ ip: '127.0.0.1', port: 0 }] };

const apps: App[] = [];
async function started(config: Record<string, unknown>): Promise<App> {
  const app = createApp({ controllers: [SwitchController], config: { ...listen, ...config } });
  await app.start({ handleSignals: false });
  apps.push(app);
  return app;
}
afterAll(() => Promise.all(apps.map((app) => app.stop())));

describe.each([
  ['in memory', (a: App) => memoryFetch(a)],
  ['over TCP', (a: App) => tcpFetch(a)],
])('compression switches (%s)', (_name, make) => {
  describe('default app', () => {
    let fetch: Fetch;
    beforeAll(async () => {
      fetch = make(await started({}));
    });

    it('compresses a route that does not opt out', async () => {
      const res = await fetch('/on', ALL);
      expect(res.headers['content-encoding']).toBe('br');
    });

    it('{ compress: false } on a route sends identity bytes, whatever the client accepts', async () => {
      for (const path of ['/off', '/off-json']) {
        const res = await fetch(path, ALL);
        expect(res.headers['content-encoding']).toBeUndefined();
        expect(Number(res.headers['content-length'])).toBe(res.body.length);
      }
      expect((await fetch('/off', ALL)).body.toString()).toBe(BIG_TEXT);
      expect(JSON.parse((await fetch('/off-json', ALL)).body.toString())).toEqual({ text: BIG_TEXT });
    });

    it('keeps the 1 KiB default threshold', async () => {
      expect((await fetch('/mid', ALL)).headers['content-encoding']).toBeUndefined();
    });
  });

  describe('compression.enabled: false', () => {
    let fetch: Fetch;
    beforeAll(async () => {
      fetch = make(await started({ compression: { enabled: false } }));
    });

    it('no route is compressed', async () => {
      const res = await fetch('/on', ALL);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toBeUndefined();
      expect(res.body.toString()).toBe(BIG_TEXT);
    });
  });

  describe('compression settings from the config', () => {
    let fetch: Fetch;
    beforeAll(async () => {
      fetch = make(await started({ compression: { min_bytes: 256, encodings: ['gzip'], gzip_level: 9 } }));
    });

    it('min_bytes lowers the threshold and encodings limits the codings offered', async () => {
      const res = await fetch('/mid', ALL);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(res.body).toString()).toBe(MID_TEXT);
      const big = await fetch('/on', { 'accept-encoding': 'br' });
      expect(big.headers['content-encoding']).toBeUndefined();
      expect(big.body.toString()).toBe(BIG_TEXT);
    });
  });
});

describe('compression config is validated', () => {
  it('refuses a coding it cannot produce and a level out of range, at createApp', () => {
    const make = () =>
      createApp({
        controllers: [SwitchController],
        config: { compression: { encodings: ['deflate' as 'gzip'], gzip_level: 12 } },
      });
    expect(make).toThrow(/compression\.encodings\[0\][\s\S]*compression\.gzip_level/);
  });

  it('BBWS_COMPRESSION_* variables set the section; an unknown key in it is warned about', () => {
    const app = createApp({
      controllers: [SwitchController],
      config: { compression: { level: 3 } as never },
      env: { BBWS_COMPRESSION_ENABLED: 'false', BBWS_COMPRESSION_MIN_BYTES: '64' },
    });
    expect(app.config.compression).toMatchObject({ enabled: false, min_bytes: 64 });
    expect(app.compression).toBe(false);
    expect(app.configWarnings.join('\n')).toMatch(/compression\.level/);
  });

  it('refuses a route option that is not a boolean, at decoration', () => {
    expect(() => Get('/x', { compress: 'no' as unknown as boolean })).toThrow(
      /compress must be true or false/,
    );
  });
});
