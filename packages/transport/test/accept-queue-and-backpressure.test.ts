import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer, type RequestHandler, type ResponseSink } from '../src/index.js';
import { header, RawClient, startServer, type TestServer } from './support/servers.js';

let target: TestServer | null = null;
afterEach(async () => {
  await target?.stop();
  target = null;
});

const GET = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';

/** A handler that holds every request until `releaseAll()`. */
function holdingHandler() {
  const held: ResponseSink[] = [];
  let started = 0;
  const handler: RequestHandler = (_request, sink) => {
    started++;
    held.push(sink);
  };
  return {
    handler,
    get started() {
      return started;
    },
    releaseAll() {
      for (const sink of held.splice(0)) sink.send(200, '', 'released');
    },
  };
}

const tick = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

describe('accept queue and backpressure', () => {
  it('queues new connections while saturated, 503s a full queue and a wait past connection_queue_timeout', async () => {
    const holder = holdingHandler();
    target = await startServer({
      handler: holder.handler,
      limits: { maxInFlight: 2, queueSize: 1, queueTimeoutMs: 400 },
    });
    const busy = [await RawClient.connect(target.port), await RawClient.connect(target.port)];
    for (const c of busy) c.write(GET);
    await tick();
    expect(target.server.inFlight).toBe(2);

    const queued = await RawClient.connect(target.port);
    queued.write(GET);
    await tick();
    const overflow = await RawClient.connect(target.port);
    overflow.write(GET);
    const rejected = await overflow.read();
    expect(rejected.status).toBe(503);
    expect(header(rejected, 'connection')).toBe('close');

    const started = Date.now();
    expect((await queued.read()).status).toBe(503);
    expect(Date.now() - started).toBeGreaterThan(200);
    expect(holder.started).toBe(2);

    holder.releaseAll();
    for (const c of busy) expect((await c.read()).status).toBe(200);
    for (const c of [...busy, queued, overflow]) c.close();
  });

  it('admits a queued connection when a slot frees', async () => {
    const holder = holdingHandler();
    target = await startServer({
      handler: holder.handler,
      limits: { maxInFlight: 1, queueSize: 4, queueTimeoutMs: 5000 },
    });
    const first = await RawClient.connect(target.port);
    first.write(GET);
    await tick();
    const second = await RawClient.connect(target.port);
    second.write(GET);
    await tick();
    expect(holder.started).toBe(1);
    holder.releaseAll();
    expect((await first.read()).status).toBe(200);
    await tick();
    expect(holder.started).toBe(2);
    holder.releaseAll();
    expect((await second.read()).status).toBe(200);
    first.close();
    second.close();
  });

  it('holds a request on a kept-alive connection while saturated instead of answering 503', async () => {
    const holder = holdingHandler();
    target = await startServer({ handler: holder.handler, limits: { maxInFlight: 1, queueSize: 0 } });
    const idle = await RawClient.connect(target.port);
    await tick();
    const busy = await RawClient.connect(target.port);
    busy.write(GET);
    await tick();
    idle.write(GET);
    await tick();
    expect(holder.started).toBe(1);
    holder.releaseAll();
    expect((await busy.read()).status).toBe(200);
    await tick();
    expect(holder.started).toBe(2);
    holder.releaseAll();
    expect((await idle.read()).status).toBe(200);
    busy.close();
    idle.close();
  });

  it('does not count idle keep-alive connections as requests in progress', async () => {
    target = await startServer({ limits: { maxInFlight: 1, queueSize: 0 } });
    const clients = await Promise.all(Array.from({ length: 5 }, () => RawClient.connect(target?.port ?? 0)));
    for (const c of clients) {
      c.write(GET);
      expect((await c.read()).status).toBe(200);
    }
    expect(target.server.inFlight).toBe(0);
    expect(target.server.connectionCount).toBe(5);
    for (const c of clients) c.close();
  });

  it('answers 503 beyond the open-connection cap', async () => {
    target = await startServer({ maxConnections: 2 });
    const open = [await RawClient.connect(target.port), await RawClient.connect(target.port)];
    await tick();
    const third = await RawClient.connect(target.port);
    third.write(GET);
    expect((await third.read()).status).toBe(503);
    open[0]?.close();
    await tick();
    const fourth = await RawClient.connect(target.port);
    fourth.write(GET);
    expect((await fourth.read()).status).toBe(200);
    for (const c of [...open, third, fourth]) c.close();
  });

  it('shares the global max_threads cap across listeners', async () => {
    const holder = holdingHandler();
    const server = new HttpServer({
      handler: holder.handler,
      listeners: [
        { ip: '127.0.0.1', port: 0 },
        { ip: '127.0.0.1', port: 0 },
      ],
      maxInFlightTotal: 1,
      limits: { queueSize: 0 },
      log: () => {},
    });
    const [a, b] = await server.listen();
    const first = await RawClient.connect(a?.port ?? 0);
    first.write(GET);
    await tick();
    const second = await RawClient.connect(b?.port ?? 0);
    second.write(GET);
    expect((await second.read()).status).toBe(503);
    holder.releaseAll();
    expect((await first.read()).status).toBe(200);
    first.close();
    second.close();
    await server.close(1000);
  });

  it('admits the default 10,000 idle keep-alive clients (cap default)', async () => {
    const { DEFAULT_LIMITS } = await import('../src/index.js');
    expect(DEFAULT_LIMITS.maxConnections).toBeGreaterThanOrEqual(10_000);
    expect(DEFAULT_LIMITS.maxInFlight).toBeGreaterThan(25);
  });
});
