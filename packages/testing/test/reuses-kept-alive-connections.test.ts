import type { Duplex } from 'node:stream';
import { type ServeTarget, TestClient } from '@bbws/testing';
import type { Endpoint } from '@bbws/transport';
import { describe, expect, it } from 'vitest';
import { type Echo, echoServer, field } from './support/echo-server.js';

/** Wraps a server to count the connections it is asked to serve. */
function counting(server: ServeTarget): ServeTarget & { connections: number } {
  const target = {
    connections: 0,
    serve(stream: Duplex, endpoint: Endpoint, remote: string) {
      target.connections++;
      return server.serve(stream, endpoint, remote);
    },
  };
  return target;
}

describe('keep-alive', () => {
  it('is off by default: one connection per request, each saying Connection: close', async () => {
    const target = counting(echoServer());
    const client = TestClient.fromServer(target);
    for (let i = 0; i < 3; i++)
      expect(field((await client.get('/')).json<Echo>(), 'connection')).toBe('close');
    expect(target.connections).toBe(3);
    expect(client.idleConnections).toBe(0);
  });

  it('reuses one connection for sequential requests when on', async () => {
    const target = counting(echoServer());
    const client = TestClient.fromServer(target, { keepAlive: true });
    for (let i = 0; i < 5; i++) {
      const res = await client.get(`/${i}`);
      expect(res.json<Echo>().path).toBe(`/${i}`);
      expect(field(res.json<Echo>(), 'connection')).toBeUndefined();
    }
    expect(target.connections).toBe(1);
    expect(client.idleConnections).toBe(1);
    client.close();
    expect(client.idleConnections).toBe(0);
  });

  it('keeps one connection per endpoint', async () => {
    const target = counting(echoServer());
    const client = TestClient.fromServer(target, { keepAlive: true });
    await client.get('/', { port: 1 });
    await client.get('/', { port: 2 });
    await client.get('/', { port: 1 });
    expect(target.connections).toBe(2);
    client.close();
  });

  it('opens a second connection for concurrent requests', async () => {
    const target = counting(echoServer());
    const client = TestClient.fromServer(target, { keepAlive: true });
    await Promise.all([client.get('/a'), client.get('/b')]);
    expect(target.connections).toBe(2);
    expect(client.idleConnections).toBe(2);
    client.close();
  });

  it('sends again on a fresh connection when a kept-alive one closes unanswered', async () => {
    let connections = 0;
    const flaky: ServeTarget = {
      serve(stream) {
        const n = ++connections;
        let requests = 0;
        stream.on('data', () => {
          if (n === 1 && ++requests === 2) stream.destroy();
          else stream.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
        });
      },
    };
    const client = TestClient.fromServer(flaky, { keepAlive: true });
    expect((await client.get('/')).text()).toBe('ok');
    expect((await client.get('/')).text()).toBe('ok');
    expect(connections).toBe(2);
    client.close();
  });

  it('does not send again on a fresh connection that closes unanswered', async () => {
    const slammer: ServeTarget = {
      serve(stream) {
        stream.on('data', () => stream.destroy());
      },
    };
    await expect(TestClient.fromServer(slammer, { keepAlive: true }).get('/')).rejects.toMatchObject({
      code: 'BBWS_ERR_TESTING_CONNECTION_CLOSED',
    });
  });
});
