import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTER_IGNORED_KEYS } from '../src/adapter/adapter-ignored-keys.js';
import {
  type App,
  Controller,
  createApp,
  Get,
  LogHub,
  Task,
  toFetchHandler,
  toNodeListener,
} from '../src/index.js';

@Controller('::/')
class SlowController {
  static ticks = 0;

  @Task({ every: '20ms' })
  tick() {
    SlowController.ticks++;
  }

  @Get('/slow')
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    return 'late';
  }

  @Get('/fast')
  fast() {
    return 'fast';
  }
}

const apps: App[] = [];
const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await Promise.all(apps.splice(0).map((app) => app.stop()));
});

function adapterApp(config: Record<string, unknown> = {}, lines: string[] = []): App {
  const logger = new LogHub({ console: false, callback: (message) => lines.push(message) });
  const app = createApp({
    controllers: [SlowController],
    env: {},
    logger,
    config: { runtime_mode: 'adapter', handler_timeout: 0.2, ...config },
  });
  apps.push(app);
  return app;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('adapter runtime mode', () => {
  it('app.init() starts the tasks; app.stop() stops them', async () => {
    const app = adapterApp();
    SlowController.ticks = 0;
    await sleep(60);
    expect(SlowController.ticks).toBe(0);
    await app.init();
    await sleep(150);
    expect(SlowController.ticks).toBeGreaterThan(0);
    await app.stop();
    const stopped = SlowController.ticks;
    await sleep(100);
    expect(SlowController.ticks).toBe(stopped);
  });

  it('the first request through an adapter starts the tasks when init() was not called', async () => {
    const app = adapterApp();
    SlowController.ticks = 0;
    const response = await toFetchHandler(app)(new Request('http://localhost/fast'));
    expect(await response.text()).toBe('fast');
    await sleep(150);
    expect(SlowController.ticks).toBeGreaterThan(0);
  });

  it('an inline handler past handler_timeout answers 504 through the fetch adapter', async () => {
    const app = adapterApp();
    const started = Date.now();
    const response = await toFetchHandler(app)(new Request('http://localhost/slow'));
    expect(response.status).toBe(504);
    expect(await response.text()).toBe('Gateway Timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('an inline handler past handler_timeout answers 504 through the node listener', async () => {
    const app = adapterApp();
    const server = createServer(toNodeListener(app));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const started = Date.now();
    const response = await request(`http://127.0.0.1:${(server.address() as { port: number }).port}/slow`);
    expect(response.statusCode).toBe(504);
    expect(await response.body.text()).toBe('Gateway Timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('init() warns once about the config keys adapter mode ignores', async () => {
    const lines: string[] = [];
    const app = adapterApp({ keep_alive_timeout: 3, max_header_size: 1000 }, lines);
    await app.init();
    await app.init();
    await toFetchHandler(app)(new Request('http://localhost/fast'));
    const warnings = lines.filter((line) => line.includes('adapter mode ignores'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('keep_alive_timeout');
    expect(warnings[0]).toContain('max_header_size');
    expect(warnings[0]).not.toContain('handler_timeout');
  });

  it('start() still refuses in adapter mode and names init()', async () => {
    const app = adapterApp();
    await expect(app.start({ handleSignals: false })).rejects.toThrow(/app\.init\(\)/);
  });

  it('docs/adapter-runtime.md lists exactly the keys init() warns about', () => {
    const page = readFileSync(new URL('../../../docs/adapter-runtime.md', import.meta.url), 'utf8');
    const section = page.slice(page.indexOf('## Config keys adapter mode ignores'));
    const listed = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...ADAPTER_IGNORED_KEYS].sort());
  });
});
