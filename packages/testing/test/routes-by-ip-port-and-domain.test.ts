import { Controller, Get } from '@bbws/core';
import { TestClient } from '@bbws/testing';
import { describe, expect, it } from 'vitest';
import { type Echo, echoServer } from './support/echo-server.js';

@Controller()
class WhereController {
  @Get('::/where')
  global(): string {
    return 'global';
  }

  @Get(':::example.com:/where')
  domain(): string {
    return 'domain';
  }

  @Get(':8443::/where')
  port(): string {
    return 'port';
  }

  @Get('10.0.0.7::/where')
  ip(): string {
    return 'ip';
  }

  @Get('[::1]:8000::/where')
  ipv6(): string {
    return 'ipv6';
  }
}

/** The listeners the requests below arrive on: a request in memory names one of them. */
const LISTENERS = {
  server: [
    { ip: 'default', port: 5000 },
    { ip: 'default', port: 8443 },
    { ip: '[::1]', port: 8000 },
    { ip: '[::1]', port: 8001 },
    { ip: 'default', port: 80 },
  ],
};

describe('selector routes', () => {
  it('match the ip, port and domain a request arrives on', async () => {
    const client = await TestClient.create({ controllers: [WhereController], config: LISTENERS });
    const where = async (options: Parameters<TestClient['get']>[1]) =>
      (await client.get('/where', options)).text();
    expect(await where({})).toBe('global');
    expect(await where({ host: 'example.com' })).toBe('domain');
    expect(await where({ host: 'EXAMPLE.com:8080' })).toBe('domain');
    expect(await where({ port: 8443, host: 'example.com' })).toBe('port');
    expect(await where({ ip: '10.0.0.7', port: 8443, host: 'example.com' })).toBe('ip');
    expect(await where({ ip: '[::1]', port: 8000 })).toBe('ipv6');
    expect(await where({ ip: '::1', port: 8001 })).toBe('global');
  });

  it('take the TLS server name as the domain, before Host', async () => {
    const client = await TestClient.create({
      controllers: [WhereController],
      config: { server: [{ port: 443, SSL: true, cert_path: 'never-read.pem', key_path: 'never-read.pem' }] },
    });
    const res = await client.get('/where', { tls: { servername: 'example.com' }, host: 'other.org' });
    expect(res.text()).toBe('domain');
  });

  it('default to the endpoint of the first listener in the config', async () => {
    const client = await TestClient.create({
      controllers: [WhereController],
      config: { server: [{ ip: '10.0.0.7', port: 9000 }] },
    });
    expect((await client.get('/where')).text()).toBe('ip');
  });

  it('take client-wide endpoint defaults that a request overrides', async () => {
    const client = await TestClient.create({ controllers: [WhereController], config: LISTENERS, port: 8443 });
    expect((await client.get('/where')).text()).toBe('port');
    expect((await client.get('/where', { port: 80 })).text()).toBe('global');
  });
});

describe('the endpoint the server sees', () => {
  it('carries ip, port, TLS, domain and the client address', async () => {
    const client = TestClient.fromServer(echoServer());
    const plain = (await client.get('/')).json<Echo>();
    expect(plain.endpoint).toEqual({ ip: '127.0.0.1', port: 5000, domain: 'localhost', isTls: false });
    expect(plain.remoteAddress).toBe('127.0.0.1');
    const tls = (
      await client.get('/', {
        ip: '192.0.2.1',
        port: 443,
        tls: true,
        host: 'shop.test',
        remoteAddress: '203.0.113.9',
      })
    ).json<Echo>();
    expect(tls.endpoint).toEqual({ ip: '192.0.2.1', port: 443, domain: 'shop.test', isTls: true });
    expect(tls.remoteAddress).toBe('203.0.113.9');
  });
});
