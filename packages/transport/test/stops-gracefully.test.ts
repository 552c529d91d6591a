import net from 'node:net';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { HttpServer, type RequestHandler } from '../src/index.js';
import { header, RawClient } from './support/servers.js';

const GET = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(handler: RequestHandler): Promise<{ server: HttpServer; port: number }> {
  const server = new HttpServer({ handler, listeners: [{ ip: '127.0.0.1', port: 0 }], log: () => {} });
  const [bound] = await server.listen();
  return { server, port: bound?.port ?? 0 };
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('graceful stop', () => {
  it('loses no request that was accepted while stopping under load', async () => {
    let started = 0;
    let answered = 0;
    const { server, port } = await start((request, sink) => {
      started++;
      setTimeout(() => {
        answered++;
        sink.send(200, '', request.path);
      }, 30);
    });
    const agent = new Agent({ connections: 16, pipelining: 1 });
    const outcomes: Array<Promise<'ok' | 'refused'>> = [];
    for (let i = 0; i < 200; i++) {
      outcomes.push(
        request(`http://127.0.0.1:${port}/r${i}`, { dispatcher: agent }).then(
          async (res) => {
            expect(res.statusCode).toBe(200);
            expect(await res.body.text()).toBe(`/r${i}`);
            return 'ok' as const;
          },
          () => 'refused' as const,
        ),
      );
    }
    await sleep(60);
    const stopped = server.close(5000);
    const results = await Promise.all(outcomes);
    await stopped;
    const ok = results.filter((r) => r === 'ok').length;
    expect(started).toBeGreaterThan(0);
    // Every request a handler ran for reached its client complete; none was cut off.
    expect(ok).toBe(started);
    expect(answered).toBe(started);
    expect(server.connectionCount).toBe(0);
    expect(await refuses(port)).toBe(true);
    await agent.close();
  });

  it('closes idle keep-alive connections at once and answers in-flight requests with Connection: close', async () => {
    let release: () => void = () => {};
    const { server, port } = await start((request, sink) => {
      if (request.path === '/quick') sink.send(200, '', 'quick');
      else release = () => sink.send(200, '', 'done');
    });
    const idle = await RawClient.connect(port);
    idle.write('GET /quick HTTP/1.1\r\nHost: x\r\n\r\n');
    expect((await idle.read()).status).toBe(200);
    const busy = await RawClient.connect(port);
    busy.write(GET);
    await sleep(30);
    const stopped = server.close(5000);
    expect(await idle.isClosedWithin(500)).toBe(true);
    expect(await refuses(port)).toBe(true);
    release();
    const response = await busy.read();
    expect(response.status).toBe(200);
    expect(header(response, 'connection')).toBe('close');
    await stopped;
    idle.close();
    busy.close();
  });

  it('destroys what is still open after the deadline and resolves', async () => {
    const { server, port } = await start(() => {});
    const stuck = await RawClient.connect(port);
    stuck.write(GET);
    await sleep(30);
    const started = Date.now();
    await server.close(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await stuck.isClosedWithin(500)).toBe(true);
    stuck.close();
  });
});
