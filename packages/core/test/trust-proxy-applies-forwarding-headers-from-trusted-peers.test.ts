import net from 'node:net';
import { TestClient } from '@bbws/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type App,
  type ConfigInput,
  Controller,
  CoreError,
  Ctx,
  createApp,
  Get,
  LogHub,
  type RequestContext,
  resolveConfig,
} from '../src/index.js';
import { ProxyTrust } from '../src/proxy/proxy-trust.js';
import { TrustedAddresses } from '../src/proxy/trusted-addresses.js';

@Controller('::')
class WhoController {
  @Get('/who', { type: 'application/json' }) who(@Ctx() ctx: RequestContext) {
    return {
      address: ctx.remoteAddress,
      port: ctx.remotePort,
      protocol: ctx.protocol,
      host: ctx.host,
      domain: ctx.endpoint.domain,
    };
  }
}

@Controller(':::shop.example:/')
class ShopController {
  @Get('/site') site() {
    return 'shop';
  }
}

type Seen = { address: string; port: number; protocol: string; host: string; domain: string };
type Headers = ReadonlyArray<readonly [string, string]>;

const apps: App[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
});

/** The same request in memory (peer `remote`) and, when `remote` is 127.0.0.1, over TCP. */
async function both(config: ConfigInput, remote: string, headers: Headers, path = '/who') {
  const client = await TestClient.create({ controllers: [WhoController, ShopController], config });
  const memory = await client.request({ path, headers, remoteAddress: remote, host: 'app.internal' });
  let tcp: { status: number; body: string } | null = null;
  if (remote === '127.0.0.1') {
    const app = createApp({
      controllers: [WhoController, ShopController],
      config: { ...config, server: [{ ip: '127.0.0.1', port: 0 }], log: { console: false } },
    });
    apps.push(app);
    await app.start({ handleSignals: false });
    tcp = await overTcp(app.addresses[0]?.port ?? 0, path, headers);
  }
  await client.app.stop();
  return { memory: { status: memory.status, body: memory.text() }, tcp };
}

/** One request on a raw socket (so repeated header lines go out as written). */
async function overTcp(
  port: number,
  path: string,
  headers: Headers,
): Promise<{ status: number; body: string }> {
  const socket = net.connect(port, '127.0.0.1');
  const lines = headers.map(([n, v]) => `${n}: ${v}\r\n`).join('');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: app.internal\r\n${lines}Connection: close\r\n\r\n`);
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return { status: Number(text.slice(9, 12)), body: text.slice(text.indexOf('\r\n\r\n') + 4) };
}

async function seen(config: ConfigInput, remote: string, headers: Headers): Promise<Seen> {
  const { memory, tcp } = await both(config, remote, headers);
  const fromMemory = JSON.parse(memory.body) as Seen;
  if (tcp !== null) {
    expect(tcp.status).toBe(memory.status);
    const fromTcp = JSON.parse(tcp.body) as Seen;
    // The socket's own port differs from the in-memory connection's (0); a forwarded client's is the same.
    if (fromMemory.address === remote) expect({ ...fromTcp, port: 0 }).toEqual(fromMemory);
    else expect(fromTcp).toEqual(fromMemory);
  }
  return fromMemory;
}

describe('trust_proxy off (the default)', () => {
  it('ignores every forwarding header', async () => {
    const s = await seen({}, '127.0.0.1', [
      ['X-Forwarded-For', '203.0.113.9'],
      ['X-Forwarded-Proto', 'https'],
      ['X-Forwarded-Host', 'shop.example'],
      ['Forwarded', 'for=198.51.100.1;proto=https'],
    ]);
    expect(s).toMatchObject({
      address: '127.0.0.1',
      protocol: 'http',
      host: 'app.internal',
      domain: 'app.internal',
    });
  });
});

describe('trust_proxy with addresses', () => {
  const trust = { trust_proxy: ['loopback', '10.0.0.0/8'] };

  it('applies X-Forwarded-For, -Proto and -Host from a trusted peer, over TCP as in memory', async () => {
    const s = await seen(trust, '127.0.0.1', [
      ['X-Forwarded-For', '203.0.113.9'],
      ['X-Forwarded-Proto', 'https'],
      ['X-Forwarded-Host', 'Shop.Example:8443'],
    ]);
    expect(s).toEqual({
      address: '203.0.113.9',
      port: 0,
      protocol: 'https',
      host: 'Shop.Example:8443',
      domain: 'shop.example',
    });
  });

  it('lets a spoofed X-Forwarded-For from an untrusted peer change nothing', async () => {
    const untrusted = { trust_proxy: ['10.0.0.0/8'] };
    const s = await seen(untrusted, '127.0.0.1', [
      ['X-Forwarded-For', '203.0.113.9'],
      ['X-Forwarded-Host', 'shop.example'],
    ]);
    expect(s).toMatchObject({
      address: '127.0.0.1',
      protocol: 'http',
      host: 'app.internal',
      domain: 'app.internal',
    });
    const fromOutside = await seen(trust, '198.51.100.77', [['X-Forwarded-For', '10.0.0.1']]);
    expect(fromOutside.address).toBe('198.51.100.77');
  });

  it('walks right to left past trusted hops; several lines are one list', async () => {
    const s = await seen(trust, '127.0.0.1', [
      ['X-Forwarded-For', '6.6.6.6, 203.0.113.9'],
      ['X-Forwarded-For', '10.1.2.3'],
    ]);
    // 10.1.2.3 is a trusted hop; 203.0.113.9 is the first that is not; 6.6.6.6 was written by the client.
    expect(s.address).toBe('203.0.113.9');
    const allTrusted = await seen(trust, '127.0.0.1', [['X-Forwarded-For', '10.0.0.5, 10.0.0.6']]);
    expect(allTrusted.address).toBe('10.0.0.5');
  });

  it('keeps the socket address when a header is malformed or readable two ways', async () => {
    for (const headers of [
      [['X-Forwarded-For', '203.0.113.9, not-an-ip']],
      [['X-Forwarded-For', '203.0.113.9:5000']],
      [['X-Forwarded-For', '203.0.113.9,']],
      [
        ['X-Forwarded-For', '203.0.113.9'],
        ['X-Forwarded-Proto', 'https, http'],
      ],
      [
        ['X-Forwarded-For', '203.0.113.9'],
        ['X-Forwarded-Proto', 'ftp'],
      ],
      [
        ['X-Forwarded-For', '203.0.113.9'],
        ['X-Forwarded-Host', 'a.example'],
        ['X-Forwarded-Host', 'b.example'],
      ],
      [
        ['X-Forwarded-For', '203.0.113.9'],
        ['X-Forwarded-Host', 'a b'],
      ],
    ] satisfies Headers[]) {
      const s = await seen(trust, '127.0.0.1', headers);
      expect(s, JSON.stringify(headers)).toMatchObject({
        address: '127.0.0.1',
        protocol: 'http',
        domain: 'app.internal',
      });
    }
  });

  it('trusts IPv6 peers by CIDR and reads IPv6 clients', async () => {
    const s = await seen({ trust_proxy: ['fd00::/8'] }, 'fd00::1', [['X-Forwarded-For', '2001:db8::42']]);
    expect(s.address).toBe('2001:db8::42');
    const no = await seen({ trust_proxy: ['fd00::/8'] }, 'fe80::1', [['X-Forwarded-For', '2001:db8::42']]);
    expect(no.address).toBe('fe80::1');
  });

  it("routes a domain selector by the forwarded host, not the proxy's", async () => {
    const forwarded = await both(
      trust,
      '127.0.0.1',
      [
        ['X-Forwarded-For', '203.0.113.9'],
        ['X-Forwarded-Host', 'shop.example'],
      ],
      '/site',
    );
    expect(forwarded.memory).toEqual({ status: 200, body: 'shop' });
    expect(forwarded.tcp).toEqual(forwarded.memory);
    const direct = await both(trust, '127.0.0.1', [], '/site');
    expect(direct.memory.status).toBe(404);
    expect(direct.tcp?.status).toBe(404);
  });
});

describe('the access log', () => {
  it('names the forwarded client as the remote address', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = new LogHub({
      console: { write: (line) => lines.push(JSON.parse(line)) },
      levels: ['request'],
    });
    const client = await TestClient.create({
      controllers: [WhoController],
      logger,
      config: { trust_proxy: ['loopback'] },
    });
    await client.get('/who', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    await client.get('/who', {
      remoteAddress: '198.51.100.4',
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });
    await client.app.stop();
    expect(lines.map((line) => line.remoteAddress)).toEqual(['203.0.113.9', '198.51.100.4']);
  });
});

describe('trust_proxy as a hop count', () => {
  it('takes the Nth address from the right, whoever the peer is', async () => {
    const headers: Headers = [['X-Forwarded-For', '6.6.6.6, 203.0.113.9, 10.0.0.2']];
    expect((await seen({ trust_proxy: 1 }, '127.0.0.1', headers)).address).toBe('10.0.0.2');
    expect((await seen({ trust_proxy: 2 }, '127.0.0.1', headers)).address).toBe('203.0.113.9');
    // Fewer hops than proxies: the request did not come through them all; nothing applies.
    expect((await seen({ trust_proxy: 4 }, '127.0.0.1', headers)).address).toBe('127.0.0.1');
  });
});

describe('trust_proxy_header "forwarded" (RFC 7239)', () => {
  const trust: ConfigInput = { trust_proxy: ['loopback'], trust_proxy_header: 'forwarded' };

  it('applies for, proto and host of the client hop; X-Forwarded-* are not read', async () => {
    const s = await seen(trust, '127.0.0.1', [
      ['Forwarded', 'for="[2001:db8::7]:4711";proto=https;host=shop.example, for=127.0.0.1'],
      ['X-Forwarded-For', '6.6.6.6'],
    ]);
    expect(s).toEqual({
      address: '2001:db8::7',
      port: 4711,
      protocol: 'https',
      host: 'shop.example',
      domain: 'shop.example',
    });
  });

  it('ignores X-Forwarded-For in this mode and a Forwarded header with a grammar error', async () => {
    expect((await seen(trust, '127.0.0.1', [['X-Forwarded-For', '203.0.113.9']])).address).toBe('127.0.0.1');
    for (const value of [
      'for=1.2.3.4;for=5.6.7.8',
      'for=2001:db8::1',
      'proto=https',
      'for=1.2.3.4;=x',
      'for="1.2.3.4',
      'for=unknown',
    ]) {
      expect((await seen(trust, '127.0.0.1', [['Forwarded', value]])).address, value).toBe('127.0.0.1');
    }
  });
});

describe('a proxy_protocol listener', () => {
  const config = (trust: ConfigInput) => ({
    ...trust,
    server: [{ ip: '127.0.0.1', port: 0, proxy_protocol: true }],
    log: { console: false },
  });

  it('TestClient sends the PROXY header for remoteAddress, as a proxy does over TCP', async () => {
    const client = await TestClient.create({ controllers: [WhoController], config: config({}) });
    const memory = JSON.parse((await client.get('/who', { remoteAddress: '203.0.113.5' })).text()) as Seen;
    await client.app.stop();
    const app = createApp({ controllers: [WhoController], config: config({}) });
    apps.push(app);
    await app.start({ handleSignals: false });
    const port = app.addresses[0]?.port ?? 0;
    const socket = net.connect(port, '127.0.0.1');
    socket.write(
      `PROXY TCP4 203.0.113.5 127.0.0.1 0 ${port}\r\nGET /who HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
    );
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    const tcp = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Seen;
    expect(memory).toMatchObject({ address: '203.0.113.5', port: 0 });
    expect(tcp).toEqual(memory);
  });

  it("judges the PROXY header's source for trust_proxy, not the socket", async () => {
    const client = await TestClient.create({
      controllers: [WhoController],
      config: config({ trust_proxy: ['10.0.0.0/8'] }),
    });
    const via = await client.get('/who', {
      remoteAddress: '10.0.0.7',
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });
    expect((JSON.parse(via.text()) as Seen).address).toBe('203.0.113.9');
    const direct = await client.get('/who', {
      remoteAddress: '198.51.100.3',
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });
    expect((JSON.parse(direct.text()) as Seen).address).toBe('198.51.100.3');
    await client.app.stop();
  });
});

describe('trust_proxy config', () => {
  it('rejects what is not an address, a CIDR or a shorthand, naming the entry', () => {
    let error: unknown;
    try {
      createApp({ controllers: [WhoController], config: { trust_proxy: ['10.0.0.0/33', 'loopback'] } })
        .config;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('BBWS_ERR_CONFIG_INVALID');
    expect((error as Error).message).toContain('trust_proxy[0]: got "10.0.0.0/33"');
  });

  it('reads BBWS_TRUST_PROXY as off, a hop count or a list', () => {
    const of = (value: string) =>
      resolveConfig({ object: {}, env: { BBWS_TRUST_PROXY: value } }).config.trust_proxy;
    expect(of('off')).toBe(false);
    expect(of('2')).toBe(2);
    expect(of('10.0.0.0/8, loopback')).toEqual(['10.0.0.0/8', 'loopback']);
    expect(of('["::1/128"]')).toEqual(['::1/128']);
    expect(() => of('10.0.0.0/99')).toThrow(/trust_proxy\[0\]: got "10.0.0.0\/99"/);
  });

  it('answers the same past its cache of answers, for many distinct addresses', () => {
    const trusted = new TrustedAddresses(['10.0.0.0/8', 'loopback', '2001:db8::/32']);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 3000; i++) {
        const a = `${i % 2 === 0 ? 10 : 11}.0.${i >> 8}.${i & 255}`;
        expect(trusted.has(a), a).toBe(i % 2 === 0);
      }
    }
    expect(trusted.has('::ffff:10.1.2.3')).toBe(true);
    expect(trusted.has('::1')).toBe(true);
    expect(trusted.has('2001:db9::1')).toBe(false);
    expect(trusted.has('not an address')).toBe(false);
  });

  it('copies every field of the transport request when it applies a client', () => {
    const request = {
      method: 'GET',
      target: '/',
      path: '/',
      query: '',
      versionMinor: 1 as const,
      headers: ['x-forwarded-for', '203.0.113.9'],
      body: null,
      bodyStream: null,
      endpoint: { ip: '127.0.0.1', port: 1, domain: '', isTls: false },
      remoteAddress: '127.0.0.1',
      remotePort: 5,
      streamLimits: { maxChunkBytes: 1, maxTotalBytes: 1, maxDurationMs: 1, idleTimeoutMs: 1 },
    };
    const applied = (ProxyTrust.from(['loopback'], 'x-forwarded') as ProxyTrust).apply(request);
    for (const key of Object.keys(request)) expect(Object.keys(applied)).toContain(key);
  });
});
