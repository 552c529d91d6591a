import { createServer, type Server } from 'node:http';
import { threadId } from 'node:worker_threads';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type App,
  Controller,
  createApp,
  Get,
  Offload,
  toFetchHandler,
  toNodeListener,
} from '../src/index.js';
import { createGreetingApp } from './fixtures/ts-app/greeting-app.js';

// The app comes from TypeScript sources run by vitest, as a user's tests do. Its pool workers
// import the same .ts module (the factory's `worker.module`) and build the app again there.

const apps: App[] = [];
const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  await Promise.all(apps.splice(0).map((app) => app.stop()));
});

function track(app: App): App {
  apps.push(app);
  return app;
}

/** `hello NAME from thread N` → N, checked to be a worker thread, not this one. */
function workerThreadOf(text: string): number {
  const match = /^hello ana from thread (\d+)$/.exec(text);
  expect(match).not.toBeNull();
  const thread = Number(match?.[1]);
  expect(thread).not.toBe(threadId);
  return thread;
}

describe('@Offload() from TypeScript sources under vitest', () => {
  it('runs the route in a worker by default, over TCP (constructor injection works there)', async () => {
    const app = track(createGreetingApp());
    await app.start({ handleSignals: false });
    expect(app.poolSize).toBe(1);
    const response = await request(`http://127.0.0.1:${app.addresses[0]?.port}/greet/ana`);
    expect(response.statusCode).toBe(200);
    workerThreadOf(await response.body.text());
  });

  it('runs the route in a worker behind the fetch adapter', async () => {
    const app = track(createGreetingApp({ runtime_mode: 'adapter' }));
    const handler = toFetchHandler(app);
    const response = await handler(new Request('http://localhost/greet/ana'));
    expect(response.status).toBe(200);
    workerThreadOf(await response.text());
    expect(app.poolSize).toBe(1);
  });

  it('runs the route in a worker behind the node listener adapter', async () => {
    const app = track(createGreetingApp({ runtime_mode: 'adapter' }));
    const server = createServer(toNodeListener(app));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const response = await request(`http://127.0.0.1:${port}/greet/ana`);
    expect(response.statusCode).toBe(200);
    workerThreadOf(await response.body.text());
  });

  it('replaces a stuck worker of a TypeScript app and keeps serving (the compiler stays in the main thread)', async () => {
    const app = track(
      createGreetingApp({
        runtime_mode: 'adapter',
        handler_timeout: 0.3,
        worker_timeout_threshold: 0, // replaced on its first timeout
      }),
    );
    await app.init(); // the pool is up and has loaded the app: the 0.3 s deadline is the handler's alone
    const handler = toFetchHandler(app);
    const first = workerThreadOf(await (await handler(new Request('http://localhost/greet/ana'))).text());
    for (let round = 0; round < 2; round++) {
      expect((await handler(new Request('http://localhost/forever'))).status).toBe(504);
      // A request sent before the pool's watchdog fired went to the stuck worker (503 when it
      // is replaced); later ones wait in the queue (504 past 0.3 s) until the new one is ready.
      let response = await handler(new Request('http://localhost/greet/ana'));
      for (let i = 0; i < 30 && (response.status === 503 || response.status === 504); i++)
        response = await handler(new Request('http://localhost/greet/ana'));
      expect(response.status).toBe(200);
      expect(workerThreadOf(await response.text())).not.toBe(first);
    }
  });

  it('runs offloaded routes inline with handler_placement "inline-only" (the switch for fast tests)', async () => {
    const app = track(createGreetingApp({ handler_placement: 'inline-only', runtime_mode: 'adapter' }));
    const response = await toFetchHandler(app)(new Request('http://localhost/greet/ana'));
    expect(await response.text()).toBe(`hello ana from thread ${threadId}`);
    expect(app.poolSize).toBe(0);
  });

  it('refuses an offloaded route when the app names no worker module', () => {
    @Controller('::/')
    class Unnamed {
      @Offload()
      @Get('/x')
      x() {
        return 'x';
      }
    }
    let failure: unknown;
    try {
      createApp({ controllers: [Unnamed], env: {}, config: { log: { levels: ['critical'] } } });
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ code: 'BBWS_ERR_OFFLOAD_NO_WORKER_MODULE' });
    expect((failure as Error).message).toContain('Unnamed.x');
  });
});
