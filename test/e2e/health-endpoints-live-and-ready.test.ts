import net from 'node:net';
import { type App, Controller, createApp, Get } from 'bbwebservice';
import { TestClient } from 'bbwebservice/testing';
import { afterEach, describe, expect, it } from 'vitest';

@Controller('::/')
class PlainController {
  @Get('/hello') hello() {
    return 'hello';
  }
}

@Controller('::/')
class OwnHealthController {
  @Get('/healthz') health() {
    return 'mine';
  }
}

interface RawAnswer {
  readonly status: number;
  readonly head: string;
  readonly body: string;
}

/**
 * One kept-alive connection that sends requests one at a time and reads each answer by its
 * Content-Length: what a load balancer's pooled connection sees, `Connection` header included.
 */
class RawConnection {
  readonly #socket: net.Socket;
  #buffer = Buffer.alloc(0);
  #wake: (() => void) | null = null;
  isEnded = false;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake?.();
    });
    socket.on('close', () => {
      this.isEnded = true;
      this.#wake?.();
    });
    socket.on('error', () => socket.destroy());
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1' }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  async get(path: string): Promise<RawAnswer> {
    this.#socket.write(`GET ${path} HTTP/1.1\r\nHost: probe\r\n\r\n`);
    for (let waits = 0; waits < 200; waits++) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end !== -1) {
        const head = this.#buffer.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (this.#buffer.length >= end + 4 + length) {
          const body = this.#buffer.subarray(end + 4, end + 4 + length).toString('utf8');
          this.#buffer = this.#buffer.subarray(end + 4 + length);
          return { status: Number(head.slice(9, 12)), head, body };
        }
      }
      if (this.isEnded) throw new Error(`connection ended before an answer to ${path}`);
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 25);
      });
      this.#wake = null;
    }
    throw new Error(`no answer to ${path} within 5 s`);
  }

  /** Resolves true when the server closed the connection within `ms`. */
  async endsWithin(ms: number): Promise<boolean> {
    for (let waited = 0; waited < ms && !this.isEnded; waited += 25) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.isEnded;
  }

  close(): void {
    this.#socket.destroy();
  }
}

const loopback = { server: [{ ip: '127.0.0.1', port: 0 }], log: { console: false } };
let apps: App[] = [];
afterEach(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  apps = [];
});

function track(app: App): App {
  apps.push(app);
  return app;
}

describe('/healthz and /readyz', () => {
  it('in memory: live at once; not ready before start (503 "starting"); no caching', async () => {
    const client = await TestClient.create({ controllers: [PlainController] });
    const live = await client.get('/healthz');
    expect(live.status).toBe(200);
    expect(live.text()).toBe('alive');
    expect(live.headers['cache-control']).toBe('no-store');
    const ready = await client.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.text()).toBe('starting');
    expect((await client.request({ method: 'HEAD', path: '/readyz' })).status).toBe(503);
    expect((await client.request({ method: 'POST', path: '/readyz' })).status).toBe(404);
    await client.app.stop();
  });

  it('over TCP and in memory: ready once started, 503 "draining" from the start of a stop', async () => {
    const app = track(
      createApp({ controllers: [PlainController], config: { ...loopback, drain_delay: 0.6 }, env: {} }),
    );
    expect(app.readiness).toBe('starting');
    await app.start({ handleSignals: false });
    expect(app.readiness).toBe('ready');
    const port = app.addresses[0]?.port ?? 0;
    const conn = await RawConnection.open(port);
    const ready = await conn.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toBe('ready');
    expect(ready.head).not.toMatch(/connection: close/i);
    const memory = TestClient.fromApp(app);
    expect((await memory.get('/readyz')).status).toBe(200);

    const stopped = app.stop();
    expect(app.readiness).toBe('draining');
    // During the drain delay the kept-alive connection is still served, told to close.
    const draining = await conn.get('/readyz');
    expect(draining.status).toBe(503);
    expect(draining.body).toBe('draining');
    expect(draining.head).toMatch(/\r\nconnection: close/i);
    expect(await conn.endsWithin(1000)).toBe(true);
    // The listener still accepts during the delay; liveness stays 200.
    const fresh = await RawConnection.open(port);
    const live = await fresh.get('/healthz');
    expect(live.status).toBe(200);
    expect(live.head).toMatch(/\r\nconnection: close/i);
    const hello = await (await RawConnection.open(port)).get('/hello');
    expect(hello.status).toBe(200);
    expect((await memory.get('/readyz')).status).toBe(503);
    await stopped;
    expect(app.readiness).toBe('stopped');
    await expect(RawConnection.open(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('a kept-alive idle connection is not closed by the drain: its next request is answered with close', async () => {
    const app = track(
      createApp({ controllers: [PlainController], config: { ...loopback, drain_delay: 0.5 }, env: {} }),
    );
    await app.start({ handleSignals: false });
    const conn = await RawConnection.open(app.addresses[0]?.port ?? 0);
    expect((await conn.get('/hello')).status).toBe(200);
    const stopped = app.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(conn.isEnded).toBe(false);
    const answer = await conn.get('/hello');
    expect(answer.status).toBe(200);
    expect(answer.head).toMatch(/\r\nconnection: close/i);
    await stopped;
  });

  it('in adapter mode: ready once init() finished, 503 from the start of stop()', async () => {
    const app = createApp({
      controllers: [PlainController],
      config: { runtime_mode: 'adapter', drain_delay: 0.2, log: { console: false } },
      env: {},
    });
    const client = TestClient.fromApp(app);
    expect((await client.get('/readyz')).status).toBe(503);
    await app.init();
    expect((await client.get('/readyz')).status).toBe(200);
    const stopped = app.stop();
    const draining = await client.get('/readyz');
    expect(draining.status).toBe(503);
    expect(draining.text()).toBe('draining');
    expect((await client.get('/healthz')).status).toBe(200);
    await stopped;
    expect(app.readiness).toBe('stopped');
  });

  it('move to other paths or a selector, or turn off', async () => {
    const moved = await TestClient.create({
      controllers: [PlainController],
      config: { health: { live: '/live', ready: '::/ready' } },
    });
    expect((await moved.get('/live')).status).toBe(200);
    expect((await moved.get('/ready')).status).toBe(503);
    expect((await moved.get('/healthz')).status).toBe(404);
    expect((await moved.get('/readyz')).status).toBe(404);
    const off = await TestClient.create({ controllers: [PlainController], config: { health: false } });
    expect((await off.get('/healthz')).status).toBe(404);
    expect((await off.get('/readyz')).status).toBe(404);
    const portBound = await TestClient.create({
      controllers: [PlainController],
      config: { health: { ready: ':9000::/readyz' }, server: [{ port: 8000 }, { port: 9000 }] },
    });
    expect((await portBound.request({ method: 'GET', path: '/readyz', port: 9000 })).status).toBe(503);
    expect((await portBound.request({ method: 'GET', path: '/readyz', port: 8000 })).status).toBe(404);
  });

  it('a route of the app on the same path wins over the built-in', async () => {
    const client = await TestClient.create({ controllers: [OwnHealthController] });
    const answer = await client.get('/healthz');
    expect(answer.status).toBe(200);
    expect(answer.text()).toBe('mine');
    expect((await client.get('/readyz')).text()).toBe('starting');
  });
});
