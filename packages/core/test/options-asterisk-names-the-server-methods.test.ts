import http from 'node:http';
import net from 'node:net';
import { TestClient } from '@bbws/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByteReader, readResponse } from '../../transport/test/support/wire.js';
import { Controller, createApp, Delete, Get, Post, Put, Route, toNodeListener } from '../src/index.js';

// Issue 11 E: `OPTIONS * HTTP/1.1` asks about the server, not a resource (RFC 9110 §9.3.7). It
// answered 404; it answers 204 with `Allow` naming every method a route serves, HEAD where GET
// is served, and OPTIONS, alike over TCP, in memory and behind node:http.

@Controller('::/things')
class ThingsController {
  @Get('/') list() {
    return 'things';
  }
  @Post('/') add() {
    return 'added';
  }
  @Put('/{id:int}') replace() {
    return 'replaced';
  }
  @Delete('/{id:int}') remove() {
    return undefined;
  }
  @Route('PURGE', '/cache') purge() {
    return undefined;
  }
}

@Controller('::/jobs')
class PostOnlyController {
  @Post('/') add() {
    return 'queued';
  }
}

const ALL = 'DELETE, GET, HEAD, OPTIONS, POST, PURGE, PUT';
const config = { server: [{ ip: '127.0.0.1', port: 0 }], log: { console: false } };
const app = createApp({ controllers: [ThingsController], config, env: {} });
const nodeServer = http.createServer(toNodeListener(app));
let nodePort = 0;

beforeAll(async () => {
  await app.start({ handleSignals: false });
  await new Promise<void>((resolve) => nodeServer.listen(0, '127.0.0.1', resolve));
  nodePort = (nodeServer.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => nodeServer.close(resolve));
  await app.stop();
});

/** Writes raw requests on one socket and reads `count` answers: status, Allow, body. */
async function exchange(port: number, bytes: string, count = 1) {
  const socket = net.connect(port, '127.0.0.1');
  try {
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(bytes);
    const reader = new ByteReader(socket);
    const answers = [];
    for (let i = 0; i < count; i++) {
      const response = await readResponse(reader);
      answers.push({
        status: response.status,
        allow: response.headerList.find(([name]) => name === 'allow')?.[1],
        body: response.body.toString(),
      });
    }
    return answers;
  } finally {
    socket.destroy();
  }
}

const OPTIONS_STAR = 'OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n';

describe('OPTIONS *', () => {
  it('answers 204 over TCP with Allow: every routed method, HEAD with GET, and OPTIONS', async () => {
    const [answer] = await exchange(app.addresses[0]?.port ?? 0, OPTIONS_STAR);
    expect(answer).toEqual({ status: 204, allow: ALL, body: '' });
  });

  it('answers the same in memory (TestClient)', async () => {
    const res = await TestClient.fromApp(app).options('*');
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe(ALL);
    expect(res.bytes().length).toBe(0);
  });

  it('answers the same behind node:http (toNodeListener), which hands the handler `*`', async () => {
    const [answer] = await exchange(nodePort, `${OPTIONS_STAR.slice(0, -2)}Connection: close\r\n\r\n`);
    expect(answer).toEqual({ status: 204, allow: ALL, body: '' });
  });

  it('keeps the connection in step: a pipelined request behind it gets its own answer', async () => {
    const answers = await exchange(
      app.addresses[0]?.port ?? 0,
      `${OPTIONS_STAR}GET /things HTTP/1.1\r\nHost: a\r\n\r\n`,
      2,
    );
    expect(answers.map((a) => [a.status, a.body])).toEqual([
      [204, ''],
      [200, 'things'],
    ]);
  });

  it('names only OPTIONS and the routed methods of an app without GET routes', async () => {
    const client = await TestClient.create({ controllers: [PostOnlyController] });
    const res = await client.options('*');
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe('OPTIONS, POST');
  });

  it('leaves a CORS preflight of `*` to CORS, as before', async () => {
    const client = await TestClient.create({ controllers: [ThingsController] });
    client.app.enableCors({ allowOrigin: ['https://site.test'] });
    const preflight = await client.options('*', {
      headers: { Origin: 'https://site.test', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://site.test');
    expect(preflight.headers.allow).toBeUndefined();
    const plain = await client.options('*', { headers: { Origin: 'https://site.test' } });
    expect(plain.status).toBe(204);
    expect(plain.headers.allow).toBe(ALL);
    expect(plain.headers['access-control-allow-origin']).toBe('https://site.test');
  });

  it('is still an ordinary path elsewhere: OPTIONS on a routed path answers its own Allow', async () => {
    const res = await TestClient.fromApp(app).options('/things');
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
  });
});
