import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpServer } from '../src/index.js';
import { certificateDir, makeCertificate } from './support/certificates.js';
import { echoHandler, header } from './support/servers.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const temp = certificateDir();
const fallback = makeCertificate(temp.dir, 'default', 'default.test');
const a = makeCertificate(temp.dir, 'a', 'a.test');
const b = makeCertificate(temp.dir, 'b', 'b.test');
const logs: string[] = [];
const server = new HttpServer({
  handler: echoHandler,
  listeners: [
    {
      ip: '127.0.0.1',
      port: 0,
      tls: {
        certPath: fallback.cert,
        keyPath: fallback.key,
        sniHosts: [
          { host: 'a.test', certPath: a.cert, keyPath: a.key },
          { host: 'B.test', certPath: b.cert, keyPath: b.key },
        ],
        watchCertificates: true,
        watchIntervalMs: 50,
        handshakeTimeoutMs: 300,
      },
    },
    {
      ip: '127.0.0.1',
      port: 0,
      tls: { certPath: `${temp.dir}/missing.crt`, keyPath: `${temp.dir}/missing.key` },
    },
  ],
  log: (_level, message) => logs.push(message),
});
let port = 0;
let bound: Awaited<ReturnType<HttpServer['listen']>> = [];

beforeAll(async () => {
  bound = await server.listen();
  port = bound[0]?.port ?? 0;
});
afterAll(async () => {
  await server.close(1000);
  temp.remove();
});

/** The subject of the certificate served for `servername`, read on a fresh handshake. */
function servedSubject(servername: string | undefined): Promise<{ CN: string; O: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      const subject = socket.getPeerCertificate().subject as unknown as { CN: string; O: string };
      socket.destroy();
      resolve(subject);
    });
    socket.once('error', reject);
  });
}

describe('TLS', () => {
  it('picks the certificate by SNI and puts the SNI name in the endpoint (curl --resolve)', async () => {
    const { stdout } = await run('curl', [
      '-sS',
      '--resolve',
      `a.test:${port}:127.0.0.1`,
      '--cacert',
      a.cert,
      `https://a.test:${port}/hello?x=1`,
    ]);
    const body = JSON.parse(stdout);
    expect(body.path).toBe('/hello');
    expect(body.endpoint).toEqual({ ip: '127.0.0.1', port, domain: 'a.test', isTls: true });
    // curl verified b.test's chain against b's certificate only: SNI chose it (case-insensitively).
    const second = await run('curl', [
      '-sS',
      '--resolve',
      `b.test:${port}:127.0.0.1`,
      '--cacert',
      b.cert,
      `https://b.test:${port}/`,
    ]);
    expect(JSON.parse(second.stdout).endpoint.domain).toBe('b.test');
  });

  it('serves the default certificate without SNI or for an unknown name', async () => {
    expect((await servedSubject(undefined)).CN).toBe('default.test');
    expect((await servedSubject('unknown.test')).CN).toBe('default.test');
    expect((await servedSubject('a.test')).CN).toBe('a.test');
  });

  it('serves requests over undici with keep-alive', async () => {
    const agent = new Agent({ connect: { ca: fs.readFileSync(fallback.cert), servername: 'default.test' } });
    for (let i = 0; i < 3; i++) {
      const res = await request(`https://127.0.0.1:${port}/n${i}`, { dispatcher: agent });
      expect(res.statusCode).toBe(200);
      const body = (await res.body.json()) as { path: string; endpoint: { isTls: boolean; domain: string } };
      expect(body.path).toBe(`/n${i}`);
      expect(body.endpoint).toMatchObject({ isTls: true, domain: 'default.test' });
    }
    await agent.close();
  });

  it('swaps a changed certificate for new handshakes without dropping live connections', async () => {
    const live = tls.connect({ host: '127.0.0.1', port, servername: 'a.test', rejectUnauthorized: false });
    await new Promise((resolve) => live.once('secureConnect', resolve));
    makeCertificate(temp.dir, 'a', 'a.test', 'v2');
    let subject = await servedSubject('a.test');
    for (let i = 0; i < 40 && subject.O !== 'v2'; i++) {
      await sleep(50);
      subject = await servedSubject('a.test');
    }
    expect(subject.O).toBe('v2');
    expect(logs.some((m) => m.includes('certificates reloaded'))).toBe(true);
    const chunks: Buffer[] = [];
    live.on('data', (c: Buffer) => chunks.push(c));
    live.write('GET /still-here HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => live.once('end', resolve));
    const text = Buffer.concat(chunks).toString();
    expect(text.startsWith('HTTP/1.1 200 OK')).toBe(true);
    expect(text).toContain('/still-here');
  });

  it('logs a failed certificate with its full paths and starts the other listeners', () => {
    expect(bound).toHaveLength(1);
    const message = logs.find((m) => m.includes('missing.crt'));
    expect(message).toContain(`${temp.dir}/missing.crt`);
    expect(message).toContain(`${temp.dir}/missing.key`);
  });

  it('drops a client that does not finish the handshake within ssl_handshake_timeout', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const started = Date.now();
    await new Promise((resolve) => socket.once('close', resolve));
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('https-redirect', () => {
  it('answers 301 to https except the escape paths', async () => {
    const plain = new HttpServer({
      handler: echoHandler,
      listeners: [
        { ip: '127.0.0.1', port: 0, httpsRedirect: { escapePaths: ['/.well-known/*', '/health'] } },
      ],
      log: () => {},
    });
    const [address] = await plain.listen();
    const base = `http://127.0.0.1:${address?.port}`;
    const moved = await request(`${base}/x/y?z=1`, { headers: { host: 'Site.test:8080' } });
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe('https://site.test/x/y?z=1');
    await moved.body.dump();
    for (const path of ['/.well-known/acme-challenge/t', '/health']) {
      const res = await request(`${base}${path}`);
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    }
    const near = await request(`${base}/healthz`);
    expect(near.statusCode).toBe(301);
    await near.body.dump();
    await plain.close(1000);
    expect(header).toBeDefined();
  });
});
