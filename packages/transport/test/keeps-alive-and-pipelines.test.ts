import { afterEach, describe, expect, it } from 'vitest';
import type { RequestHandler } from '../src/index.js';
import { echoed, header, RawClient, startServer, type TestServer } from './support/servers.js';

let target: TestServer | null = null;
afterEach(async () => {
  await target?.stop();
  target = null;
});

const GET = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;

describe('keep-alive', () => {
  it('keeps an HTTP/1.1 connection open by default and serves the next request on it', async () => {
    target = await startServer();
    const client = await RawClient.connect(target.port);
    for (const path of ['/one', '/two', '/three']) {
      client.write(GET(path));
      const response = await client.read();
      expect(echoed(response).path).toBe(path);
      expect(header(response, 'connection')).toBeUndefined();
    }
    expect(await client.isClosedWithin(100)).toBe(false);
    client.close();
  });

  it('honours Connection: close from the client', async () => {
    target = await startServer();
    const client = await RawClient.connect(target.port);
    client.write(GET('/', 'Connection: close\r\n'));
    expect(header(await client.read(), 'connection')).toBe('close');
    expect(await client.isClosedWithin(1000)).toBe(true);
    client.close();
  });

  it('closes HTTP/1.0 unless keep-alive is asked for, and confirms it when it is', async () => {
    target = await startServer();
    const plain = await RawClient.connect(target.port);
    plain.write('GET / HTTP/1.0\r\n\r\n');
    expect(header(await plain.read(), 'connection')).toBe('close');
    expect(await plain.isClosedWithin(1000)).toBe(true);
    plain.close();

    const kept = await RawClient.connect(target.port);
    kept.write('GET /a HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n');
    expect(header(await kept.read(), 'connection')).toBe('keep-alive');
    kept.write('GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    expect(echoed(await kept.read()).path).toBe('/b');
    kept.close();
  });

  it('closes after keep_alive_max_requests, telling the client on the last response', async () => {
    target = await startServer({ limits: { keepAliveMaxRequests: 3 } });
    const client = await RawClient.connect(target.port);
    const seen: Array<string | undefined> = [];
    for (let i = 0; i < 3; i++) {
      client.write(GET('/'));
      seen.push(header(await client.read(), 'connection'));
    }
    expect(seen).toEqual([undefined, undefined, 'close']);
    expect(await client.isClosedWithin(1000)).toBe(true);
    client.close();
  });

  it('answers pipelined requests in order even when later ones finish first', async () => {
    const delays: Record<string, number> = { '/slow': 60, '/medium': 20, '/fast': 0 };
    const handler: RequestHandler = (request, sink) => {
      setTimeout(() => sink.send(200, '', request.path), delays[request.path] ?? 0);
    };
    target = await startServer({ handler });
    const client = await RawClient.connect(target.port);
    client.write(
      `${GET('/slow')}POST /medium HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc${GET('/fast')}`,
    );
    const bodies: string[] = [];
    for (let i = 0; i < 3; i++) bodies.push((await client.read()).body.toString());
    expect(bodies).toEqual(['/slow', '/medium', '/fast']);
    client.close();
  });

  it('answers many pipelined requests sent in one write', async () => {
    target = await startServer({ limits: { keepAliveMaxRequests: 0 } });
    const client = await RawClient.connect(target.port);
    const count = 500;
    let bytes = '';
    for (let i = 0; i < count; i++) bytes += GET(`/r${i}`);
    client.write(bytes);
    for (let i = 0; i < count; i++) expect(echoed(await client.read()).path).toBe(`/r${i}`);
    client.close();
  });

  it('still answers requests the client sent before half-closing', async () => {
    target = await startServer({
      handler: (request, sink) => setTimeout(() => sink.send(200, '', request.path), 20),
    });
    const client = await RawClient.connect(target.port);
    client.write(GET('/a') + GET('/b'));
    client.socket.end();
    expect((await client.read()).body.toString()).toBe('/a');
    expect((await client.read()).body.toString()).toBe('/b');
    expect(await client.isClosedWithin(1000)).toBe(true);
    client.close();
  });

  it('sends the head of a HEAD response without its body', async () => {
    target = await startServer();
    const client = await RawClient.connect(target.port);
    client.write(`HEAD / HTTP/1.1\r\nHost: x\r\n\r\n${GET('/next')}`);
    const head = await client.read(true);
    expect(Number(header(head, 'content-length'))).toBeGreaterThan(0);
    expect(head.body.length).toBe(0);
    expect(echoed(await client.read()).path).toBe('/next');
    client.close();
  });
});
