import net from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DuplexPair, HttpServer, type RequestHandler } from '../src/index.js';
import { MAX_V1_HEADER_BYTES } from '../src/proxy-protocol/parse-proxy-header.js';
import { certificateDir, makeCertificate } from './support/certificates.js';
import { RawClient, startServer, type TestServer } from './support/servers.js';
import { ByteReader, readResponse } from './support/wire.js';

/** Answers with the client the transport saw. */
const peerHandler: RequestHandler = (request, sink) => {
  sink.send(
    200,
    'Content-Type: application/json\r\n',
    JSON.stringify({ address: request.remoteAddress, port: request.remotePort, path: request.path }),
  );
};

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function proxyServer(headerTimeoutMs = 5000): Promise<TestServer> {
  const s = await startServer({
    handler: peerHandler,
    listeners: [{ ip: '127.0.0.1', port: 0, proxyProtocol: true, limits: { headerTimeoutMs } }],
  });
  servers.push(s);
  return s;
}

const REQUEST = 'GET /who HTTP/1.1\r\nHost: a\r\n\r\n';
const SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

function v2(command: number, familyProtocol: number, body: Buffer): Buffer {
  const fixed = Buffer.alloc(4);
  fixed[0] = 0x20 | command;
  fixed[1] = familyProtocol;
  fixed.writeUInt16BE(body.length, 2);
  return Buffer.concat([SIGNATURE, fixed, body]);
}

function inet4(src: number[], dst: number[], sport: number, dport: number): Buffer {
  const b = Buffer.alloc(12);
  b.set(src, 0);
  b.set(dst, 4);
  b.writeUInt16BE(sport, 8);
  b.writeUInt16BE(dport, 10);
  return b;
}

function inet6(src: string, dst: string, sport: number, dport: number): Buffer {
  const b = Buffer.alloc(36);
  Buffer.from(src, 'hex').copy(b, 0);
  Buffer.from(dst, 'hex').copy(b, 16);
  b.writeUInt16BE(sport, 32);
  b.writeUInt16BE(dport, 34);
  return b;
}

/** A TLV: type, 2-byte length, value (skipped by the reader). */
function tlv(type: number, value: string): Buffer {
  const head = Buffer.alloc(3);
  head[0] = type;
  head.writeUInt16BE(value.length, 1);
  return Buffer.concat([head, Buffer.from(value, 'latin1')]);
}

async function ask(port: number, bytes: Buffer | string) {
  const client = await RawClient.connect(port);
  try {
    client.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    const response = await client.read();
    return {
      status: response.status,
      seen: JSON.parse(response.body.toString()) as { address: string; port: number },
      localPort: client.socket.localPort,
    };
  } finally {
    client.close();
  }
}

/** Sends bytes, then reports what the server did: the bytes it sent before closing. */
async function refused(port: number, bytes: Buffer | string, end = false): Promise<string> {
  const client = await RawClient.connect(port);
  try {
    client.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    if (end) client.socket.end();
    expect(await client.isClosedWithin(3000)).toBe(true);
    return client.reader.rest.toString('latin1') + (await drain(client.reader));
  } finally {
    client.close();
  }
}

async function drain(reader: ByteReader): Promise<string> {
  let out = '';
  for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next())
    out += chunk.toString('latin1');
  return out;
}

describe('PROXY protocol v1', () => {
  it('takes the client address and port from a TCP4 line sent with the request', async () => {
    const s = await proxyServer();
    const r = await ask(s.port, `PROXY TCP4 203.0.113.7 192.0.2.1 40000 80\r\n${REQUEST}`);
    expect(r.status).toBe(200);
    expect(r.seen).toEqual({ address: '203.0.113.7', port: 40000, path: '/who' });
  });

  it('takes an IPv6 client from a TCP6 line', async () => {
    const s = await proxyServer();
    const r = await ask(s.port, `PROXY TCP6 2001:db8::7 2001:db8::1 5555 443\r\n${REQUEST}`);
    expect(r.seen).toMatchObject({ address: '2001:db8::7', port: 5555 });
    // An IPv4 client of a dual-stack proxy is reported as IPv4, as a socket's would be.
    const mapped = await ask(s.port, `PROXY TCP6 ::ffff:203.0.113.7 ::1 5556 443\r\n${REQUEST}`);
    expect(mapped.seen).toMatchObject({ address: '203.0.113.7', port: 5556 });
  });

  it('keeps the socket address for UNKNOWN', async () => {
    const s = await proxyServer();
    const r = await ask(s.port, `PROXY UNKNOWN\r\n${REQUEST}`);
    expect(r.seen).toMatchObject({ address: '127.0.0.1', port: r.localPort });
  });

  it('keeps the address for every request of a kept-alive connection', async () => {
    const s = await proxyServer();
    const client = await RawClient.connect(s.port);
    try {
      client.write(`PROXY TCP4 198.51.100.9 192.0.2.1 1234 80\r\n${REQUEST}`);
      const first = JSON.parse((await client.read()).body.toString());
      client.write(REQUEST);
      const second = JSON.parse((await client.read()).body.toString());
      expect(first).toMatchObject({ address: '198.51.100.9', port: 1234 });
      expect(second).toEqual(first);
    } finally {
      client.close();
    }
  });

  it('closes a line longer than 107 bytes, a bad port and a bad address, and counts them', async () => {
    const s = await proxyServer();
    const long = `PROXY TCP4 ${'1'.repeat(MAX_V1_HEADER_BYTES)}`;
    expect(await refused(s.port, long)).toBe('');
    expect(await refused(s.port, 'PROXY TCP4 1.2.3.4 5.6.7.8 99999 80\r\n')).toBe('');
    expect(await refused(s.port, 'PROXY TCP4 2001:db8::1 5.6.7.8 1 80\r\n')).toBe('');
    expect(await refused(s.port, 'PROXY TCP4  1.2.3.4 5.6.7.8 1 80\r\n')).toBe('');
    expect(await refused(s.port, 'PROXY TCP4 1.2.3.4 5.6.7.8 1 80\rX')).toBe('');
    expect(s.server.proxyProtocolCounts()['proxy_protocol.malformed']).toBe(5);
  });
});

describe('PROXY protocol v2', () => {
  it('takes an IPv4 client and skips the TLVs', async () => {
    const s = await proxyServer();
    const body = Buffer.concat([
      inet4([192, 0, 2, 44], [10, 0, 0, 1], 61000, 8080),
      tlv(0x04, 'noop'),
      tlv(0x05, 'unique-id-1'),
    ]);
    const r = await ask(s.port, Buffer.concat([v2(1, 0x11, body), Buffer.from(REQUEST)]));
    expect(r.seen).toEqual({ address: '192.0.2.44', port: 61000, path: '/who' });
  });

  it('takes an IPv6 client', async () => {
    const s = await proxyServer();
    const src = '20010db8000000000000000000000007';
    const dst = '20010db8000000000000000000000001';
    const r = await ask(
      s.port,
      Buffer.concat([v2(1, 0x21, inet6(src, dst, 7000, 443)), Buffer.from(REQUEST)]),
    );
    expect(r.seen).toMatchObject({ address: '2001:db8::7', port: 7000 });
  });

  it('keeps the socket address for LOCAL (a health check) and for UNSPEC', async () => {
    const s = await proxyServer();
    const local = await ask(
      s.port,
      Buffer.concat([v2(0, 0x11, inet4([1, 2, 3, 4], [5, 6, 7, 8], 1, 2)), Buffer.from(REQUEST)]),
    );
    expect(local.seen).toMatchObject({ address: '127.0.0.1', port: local.localPort });
    const unspec = await ask(s.port, Buffer.concat([v2(1, 0x00, Buffer.alloc(0)), Buffer.from(REQUEST)]));
    expect(unspec.seen).toMatchObject({ address: '127.0.0.1', port: unspec.localPort });
  });

  it('reads a header and request that arrive one byte at a time', async () => {
    const s = await proxyServer();
    const bytes = Buffer.concat([
      v2(1, 0x11, inet4([203, 0, 113, 5], [10, 0, 0, 1], 4242, 80)),
      Buffer.from(REQUEST),
    ]);
    const client = await RawClient.connect(s.port);
    try {
      client.socket.setNoDelay(true);
      for (const byte of bytes) {
        client.write(Buffer.from([byte]));
        await new Promise((resolve) => setImmediate(resolve));
      }
      const response = await client.read();
      expect(JSON.parse(response.body.toString())).toMatchObject({ address: '203.0.113.5', port: 4242 });
    } finally {
      client.close();
    }
  });

  it('closes a truncated header, a bad version, a short address block and one over the cap', async () => {
    const s = await proxyServer();
    const whole = v2(1, 0x11, inet4([1, 2, 3, 4], [5, 6, 7, 8], 1, 2));
    expect(await refused(s.port, whole.subarray(0, 20), true)).toBe('');
    const badVersion = Buffer.from(whole);
    badVersion[12] = 0x11;
    expect(await refused(s.port, badVersion)).toBe('');
    expect(await refused(s.port, v2(1, 0x11, Buffer.alloc(8)))).toBe('');
    const huge = Buffer.concat([SIGNATURE, Buffer.from([0x21, 0x11, 0xff, 0xff])]);
    expect(await refused(s.port, huge)).toBe('');
    // The truncated one was closed by the client's end, not refused; the other three are counted.
    expect(s.server.proxyProtocolCounts()['proxy_protocol.malformed']).toBe(3);
  });
});

describe('a PROXY listener without a header', () => {
  it('answers 400 and closes when the bytes are an HTTP request, and counts it', async () => {
    const s = await proxyServer();
    const answer = await refused(s.port, REQUEST);
    expect(answer.startsWith('HTTP/1.1 400 ')).toBe(true);
    expect(answer).toContain('Connection: close');
    expect(s.server.proxyProtocolCounts()['proxy_protocol.missing']).toBe(1);
  });

  it('closes without an answer on binary garbage', async () => {
    const s = await proxyServer();
    expect(await refused(s.port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05]))).toBe('');
    expect(await refused(s.port, Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x00]))).toBe('');
    expect(s.server.proxyProtocolCounts()['proxy_protocol.missing']).toBe(2);
  });

  it('closes a header not complete within header_timeout', async () => {
    const s = await proxyServer(300);
    expect(await refused(s.port, 'PROXY TCP4 1.2.3.4')).toBe('');
    expect(s.server.proxyProtocolCounts()['proxy_protocol.timeout']).toBe(1);
  });
});

describe('PROXY protocol in memory', () => {
  it('reads the header from an in-memory connection as from a socket', async () => {
    const server = new HttpServer({
      handler: peerHandler,
      listeners: [{ ip: '127.0.0.1', port: 7000, proxyProtocol: true }],
      log: () => {},
    });
    try {
      const pair = new DuplexPair();
      const reader = new ByteReader(pair.client);
      expect(
        server.serve(pair.server, { ip: '127.0.0.1', port: 7000, domain: '', isTls: false }, '127.0.0.1'),
      ).toBeNull();
      pair.client.write(`PROXY TCP4 203.0.113.7 192.0.2.1 40000 80\r\n${REQUEST}`);
      const response = await readResponse(reader, false);
      expect(JSON.parse(response.body.toString())).toEqual({
        address: '203.0.113.7',
        port: 40000,
        path: '/who',
      });
      pair.client.destroy();
    } finally {
      await server.close(1000);
    }
  });
});

describe('PROXY protocol before TLS', () => {
  const certs = certificateDir();
  const { cert, key } = makeCertificate(certs.dir, 'proxied', 'localhost');
  afterAll(() => certs.remove());

  async function tlsProxyServer(): Promise<TestServer> {
    const s = await startServer({
      handler: peerHandler,
      listeners: [{ ip: '127.0.0.1', port: 0, proxyProtocol: true, tls: { certPath: cert, keyPath: key } }],
    });
    servers.push(s);
    return s;
  }

  /** Header and ClientHello in one TCP segment (corked), then a request over TLS. */
  async function askOverTls(port: number, header: Buffer | string) {
    const raw = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      raw.once('connect', resolve);
      raw.once('error', reject);
    });
    raw.cork();
    raw.write(header);
    const secure = tls.connect({ socket: raw, rejectUnauthorized: false, servername: 'localhost' });
    process.nextTick(() => raw.uncork());
    try {
      await new Promise<void>((resolve, reject) => {
        secure.once('secureConnect', resolve);
        secure.once('error', reject);
      });
      secure.write(REQUEST);
      const response = await readResponse(new ByteReader(secure), false);
      return {
        seen: JSON.parse(response.body.toString()) as { address: string; port: number },
        localPort: raw.localPort,
      };
    } finally {
      secure.destroy();
    }
  }

  it("reads the header, then the handshake; the client is the header's", async () => {
    const s = await tlsProxyServer();
    const r = await askOverTls(s.port, 'PROXY TCP4 203.0.113.7 192.0.2.1 40000 443\r\n');
    expect(r.seen).toEqual({ address: '203.0.113.7', port: 40000, path: '/who' });
    const v6 = await askOverTls(
      s.port,
      v2(1, 0x21, inet6('20010db8000000000000000000000009', '20010db8000000000000000000000001', 5151, 443)),
    );
    expect(v6.seen).toMatchObject({ address: '2001:db8::9', port: 5151 });
  });

  it('keeps the TCP peer for a LOCAL header', async () => {
    const s = await tlsProxyServer();
    const r = await askOverTls(s.port, v2(0, 0x00, Buffer.alloc(0)));
    expect(r.seen).toMatchObject({ address: '127.0.0.1', port: r.localPort });
  });

  it('closes a TLS client that sends no header, and counts it', async () => {
    const s = await tlsProxyServer();
    const raw = net.connect(s.port, '127.0.0.1');
    const secure = tls.connect({ socket: raw, rejectUnauthorized: false, servername: 'localhost' });
    const outcome = await new Promise<string>((resolve) => {
      secure.once('secureConnect', () => resolve('handshake completed'));
      secure.once('error', () => resolve('refused'));
      secure.once('close', () => resolve('refused'));
    });
    secure.destroy();
    expect(outcome).toBe('refused');
    expect(s.server.proxyProtocolCounts()['proxy_protocol.missing']).toBe(1);
  });
});
