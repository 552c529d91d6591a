import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DuplexPair,
  type Endpoint,
  HttpServer,
  type HttpServerOptions,
  type RequestHandler,
  TransportError,
} from '../src/index.js';
import { echoHandler, RawClient } from './support/servers.js';
import { ByteReader, type RawResponse, readResponse } from './support/wire.js';

const servers: HttpServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close(1000);
});

function makeServer(options: Partial<HttpServerOptions> & Pick<HttpServerOptions, 'listeners'>): HttpServer {
  const server = new HttpServer({ handler: echoHandler, log: () => {}, ...options });
  servers.push(server);
  return server;
}

const TLS = { certPath: '/nonexistent/cert.pem', keyPath: '/nonexistent/key.pem' };

/** Sends `bytes` on an in-memory connection that arrives on `endpoint`, reads one response. */
async function inMemory(
  server: HttpServer,
  endpoint: Partial<Endpoint>,
  bytes: string,
): Promise<RawResponse> {
  const pair = new DuplexPair();
  server.serve(
    pair.server,
    { ip: '127.0.0.1', port: 5000, domain: '', isTls: false, ...endpoint },
    '127.0.0.1',
  );
  const reader = new ByteReader(pair.client);
  pair.client.write(bytes, 'latin1');
  try {
    return await readResponse(reader, false);
  } finally {
    pair.client.destroy();
  }
}

const post = (bytes: number) =>
  `POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: ${bytes}\r\nConnection: close\r\n\r\n${'x'.repeat(bytes)}`;

describe('HttpServer.serve() runs an in-memory connection through the listener it names', () => {
  it("applies that listener's limits, chosen by port", async () => {
    const server = makeServer({
      listeners: [
        { ip: '127.0.0.1', port: 5000 },
        { ip: '127.0.0.1', port: 5001, limits: { maxBodyBytes: 10 } },
      ],
    });
    expect((await inMemory(server, { port: 5000 }, post(100))).status).toBe(200);
    expect((await inMemory(server, { port: 5001 }, post(100))).status).toBe(413);
    expect((await inMemory(server, { port: 5001 }, post(10))).status).toBe(200);
  });

  it('chooses by ip among listeners that share a port; a wildcard listener takes other ips', async () => {
    const server = makeServer({
      listeners: [
        { ip: '127.0.0.1', port: 5000, limits: { maxBodyBytes: 10 } },
        { ip: '[::1]', port: 5000 },
        { ip: 'default', port: 6000, limits: { maxBodyBytes: 20 } },
        { ip: '10.0.0.7', port: 6000 },
      ],
    });
    expect((await inMemory(server, { ip: '127.0.0.1', port: 5000 }, post(100))).status).toBe(413);
    expect((await inMemory(server, { ip: '::1', port: 5000 }, post(100))).status).toBe(200);
    expect((await inMemory(server, { ip: '10.0.0.7', port: 6000 }, post(100))).status).toBe(200);
    expect((await inMemory(server, { ip: '192.0.2.1', port: 6000 }, post(100))).status).toBe(413);
  });

  it("applies that listener's https-redirect, except on its escape paths", async () => {
    const server = makeServer({
      listeners: [
        { ip: '127.0.0.1', port: 5000 },
        { ip: '127.0.0.1', port: 5001, httpsRedirect: { escapePaths: ['/.well-known/*'] } },
      ],
    });
    const get = (path: string) =>
      `GET ${path} HTTP/1.1\r\nHost: example.com:5001\r\nConnection: close\r\n\r\n`;
    const redirected = await inMemory(server, { port: 5001 }, get('/a/b?c=1'));
    expect(redirected.status).toBe(301);
    expect(redirected.headerList).toContainEqual(['location', 'https://example.com/a/b?c=1']);
    expect((await inMemory(server, { port: 5001 }, get('/.well-known/x'))).status).toBe(200);
    expect((await inMemory(server, { port: 5000 }, get('/a/b?c=1'))).status).toBe(200);
  });

  it('refuses a port no listener has with a coded error that lists the listeners', () => {
    const server = makeServer({
      listeners: [
        { ip: '127.0.0.1', port: 5000 },
        { ip: '[::1]', port: 5001, tls: TLS },
        { ip: 'default', port: 5002 },
      ],
    });
    const pair = new DuplexPair();
    const serve = () =>
      server.serve(pair.server, { ip: '127.0.0.1', port: 5003, domain: '', isTls: false }, '127.0.0.1');
    expect(serve).toThrow(TransportError);
    expect(serve).toThrow(/port 5003.*127\.0\.0\.1:5000, \[::1\]:5001 \(TLS\), \*:5002/);
    try {
      serve();
    } catch (error) {
      expect((error as TransportError).code).toBe('BBWS_ERR_TRANSPORT_NO_LISTENER');
    }
    expect(server.connectionCount).toBe(0);
  });

  it('refuses a TLS endpoint on a plain listener, and a plain one on a TLS listener', () => {
    const server = makeServer({
      listeners: [
        { ip: '127.0.0.1', port: 5000 },
        { ip: '127.0.0.1', port: 5001, tls: TLS },
      ],
    });
    const pair = new DuplexPair();
    const serve = (port: number, isTls: boolean) =>
      server.serve(pair.server, { ip: '127.0.0.1', port, domain: '', isTls }, '127.0.0.1');
    expect(() => serve(5000, true)).toThrow(/127\.0\.0\.1:5000 is not a TLS listener/);
    expect(() => serve(5001, false)).toThrow(/127\.0\.0\.1:5001 is a TLS listener/);
    expect(() => serve(5001, true)).not.toThrow();
    pair.client.destroy();
  });

  it('tells the address a request to a listener arrives on: its ip (127.0.0.1 for all interfaces), port and TLS', () => {
    const server = makeServer({
      listeners: [
        { ip: 'default', port: 5000 },
        { ip: '[::1]', port: 5001, tls: TLS },
      ],
    });
    expect(server.listenerFor(undefined, undefined)).toEqual({ ip: '127.0.0.1', port: 5000, isTls: false });
    expect(server.listenerFor(undefined, 5001)).toEqual({ ip: '::1', port: 5001, isTls: true });
    expect(() => server.listenerFor('::1', 5009)).toThrow(/no listener/);
    expect(makeServer({ listeners: [] }).listenerFor(undefined, 5001)).toBeNull();
  });

  it('serves any endpoint with the server-wide limits when it has no listeners', async () => {
    const server = makeServer({ listeners: [], limits: { maxBodyBytes: 10 } });
    expect((await inMemory(server, { port: 1234 }, post(100))).status).toBe(413);
    expect((await inMemory(server, { port: 80, isTls: true }, post(5))).status).toBe(200);
  });
});

describe('listen() and serve() share one context per listener', () => {
  it('addresses a port-0 listener by its bound port, and shares its request slots with TCP', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holding: RequestHandler = (request, sink) => {
      if (request.path === '/hold') void gate.then(() => sink.send(200, '', 'held'));
      else sink.send(200, '', 'fast');
    };
    const server = makeServer({
      handler: holding,
      listeners: [{ ip: '127.0.0.1', port: 0, limits: { maxInFlight: 1 } }],
    });
    const [bound] = await server.listen();
    const port = bound?.port ?? 0;
    expect(server.listenerFor(undefined, undefined)).toEqual({ ip: '127.0.0.1', port, isTls: false });

    // The in-memory request holds the listener's only slot...
    const held = inMemory(server, { port }, 'GET /hold HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    await sleep(20);
    expect(server.inFlight).toBe(1);
    // ...so a request on a socket of that listener waits for it.
    const tcp = await RawClient.connect(port);
    try {
      tcp.write('GET /fast HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
      let isAnswered = false;
      const answer = tcp.read().then((response) => {
        isAnswered = true;
        return response;
      });
      await sleep(200);
      expect(isAnswered).toBe(false);
      release();
      expect((await held).body.toString()).toBe('held');
      expect((await answer).body.toString()).toBe('fast');
    } finally {
      tcp.close();
    }
  });
});
