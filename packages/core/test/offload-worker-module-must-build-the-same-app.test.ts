import { describe, expect, it } from 'vitest';
// The built bundle, not the sources: a pool worker runs dist/bundle/worker-main.js next to the
// module that started it, and the worker imports real JavaScript. Run `pnpm build` first.
import { type App, Controller, createApp, Get, Offload } from '../dist/bundle/index.js';

@Controller('::/')
class NotInTheEntryController {
  @Offload()
  @Get('/a')
  a() {
    return 'a';
  }

  @Get('/b')
  b() {
    return 'b';
  }
}

describe('the worker module an app names', () => {
  it('fails app.start() when it builds an app with other routes', async () => {
    // inline-app.mjs builds an app with one route; this one has two.
    const app: App = createApp({
      controllers: [NotInTheEntryController],
      worker: { module: new URL('./fixtures/inline-app.mjs', import.meta.url), export: 'app' },
      env: {},
      config: { server: [{ ip: '127.0.0.1', port: 0 }], worker_processes: 1, log: { levels: ['critical'] } },
    });
    let failure: unknown;
    try {
      await app.start({ handleSignals: false });
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ code: 'BBWS_ERR_POOL_WORKER_START' });
    expect((failure as Error).message).toContain('BBWS_ERR_OFFLOAD_ROUTE_MISMATCH');
    expect(app.poolSize).toBe(0);
    await app.stop();
  });
});
