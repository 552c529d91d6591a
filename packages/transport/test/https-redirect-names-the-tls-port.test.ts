import fs from 'node:fs';
import tls from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpServer } from '../src/index.js';
import { certificateDir, makeCertificate } from './support/certificates.js';
import { echoHandler } from './support/servers.js';
import { ByteReader, readResponse } from './support/wire.js';

// Issue 11 B: with the TLS listener on 5443, `https-redirect` sent clients to
// `https://host/path`, port 443, where nothing answers. The Location now names the port of the
// TLS listener clients are sent to (its bound port, so port 0 works too), or a given port.

const temp = certificateDir();
const cert = makeCertificate(temp.dir, 'site', 'site.test');
const tlsOptions = { certPath: cert.cert, keyPath: cert.key };
const ca = fs.readFileSync(cert.cert, 'utf8');

const server = new HttpServer({
  handler: echoHandler,
  listeners: [
    { ip: '127.0.0.1', port: 0, httpsRedirect: { escapePaths: ['/health'], tlsListener: 1 } },
    { ip: '127.0.0.1', port: 0, tls: tlsOptions },
    { ip: '127.0.0.1', port: 0, httpsRedirect: { escapePaths: [], port: 443 } },
    { ip: '::1', port: 0, httpsRedirect: { escapePaths: [], tlsListener: 4 } },
    { ip: '::1', port: 0, tls: tlsOptions },
  ],
  log: () => {},
});
let ports: number[] = [];
const agent = new Agent({ connect: { ca, servername: 'site.test' } });

beforeAll(async () => {
  ports = (await server.listen()).map((bound) => bound.port);
});
afterAll(async () => {
  await agent.close();
  await server.close(1000);
  temp.remove();
});

/** The Location of a plain request to `port` with `host`. */
async function locationOf(ip: string, port: number, host: string, path: string): Promise<string> {
  const res = await request(`http://${ip.includes(':') ? `[${ip}]` : ip}:${port}${path}`, {
    headers: { host },
  });
  expect(res.statusCode).toBe(301);
  await res.body.dump();
  return String(res.headers.location);
}

describe('https-redirect', () => {
  it('names the bound port of the TLS listener, and following it reaches that listener', async () => {
    const [plain, secure] = ports as [number, number];
    const location = await locationOf('127.0.0.1', plain, `Site.test:${plain}`, '/a/b?c=1');
    expect(location).toBe(`https://site.test:${secure}/a/b?c=1`);
    const url = new URL(location);
    // site.test is not in DNS: connect to the TLS listener's address, verify site.test's certificate.
    const followed = await request(`https://127.0.0.1:${url.port}${url.pathname}${url.search}`, {
      dispatcher: agent,
      headers: { host: url.host },
    });
    expect(followed.statusCode).toBe(200);
    const echoed = (await followed.body.json()) as { path: string; query: string; endpoint: object };
    expect(echoed.path).toBe('/a/b');
    expect(echoed.query).toBe('c=1');
    expect(echoed.endpoint).toEqual({ ip: '127.0.0.1', port: secure, domain: 'site.test', isTls: true });
  });

  it('still serves the escape paths over plain http', async () => {
    const res = await request(`http://127.0.0.1:${ports[0]}/health`);
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  });

  it('leaves 443 out of the URL', async () => {
    expect(await locationOf('127.0.0.1', ports[2] ?? 0, 'site.test', '/x')).toBe('https://site.test/x');
  });

  it('puts an IPv6 host in brackets, with the port after them, and the TLS listener answers there', async () => {
    const [, , , plain6, secure6] = ports as [number, number, number, number, number];
    const location = await locationOf('::1', plain6, `[::1]:${plain6}`, '/v6');
    expect(location).toBe(`https://[::1]:${secure6}/v6`);
    const url = new URL(location);
    const socket = tls.connect({
      host: url.hostname.slice(1, -1),
      port: Number(url.port),
      servername: 'site.test',
      ca,
    });
    try {
      await new Promise((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      });
      socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
      const answer = await readResponse(new ByteReader(socket));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body.toString()).endpoint).toEqual({
        ip: '::1',
        port: secure6,
        domain: 'site.test',
        isTls: true,
      });
    } finally {
      socket.destroy();
    }
  });
});
