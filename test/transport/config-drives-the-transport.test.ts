import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { Controller, createApp, Get, MIME_TYPE } from 'bbwebservice';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateDir, makeCertificate } from '../../packages/transport/test/support/certificates.js';
import { ByteReader, readResponse } from '../../packages/transport/test/support/wire.js';

const run = promisify(execFile);

@Controller()
class PingController {
  @Get('::/ping', { type: MIME_TYPE.TEXT })
  ping(): string {
    return 'pong';
  }

  @Get(':::b.test:/who', { type: MIME_TYPE.TEXT })
  who(): string {
    return 'b.test only';
  }
}

const temp = certificateDir();
const a = makeCertificate(temp.dir, 'a', 'a.test');
const b = makeCertificate(temp.dir, 'b', 'b.test');

// Keys of config.json, through createApp, down to the transport: a per-server header_timeout,
// TLS with an SNI host list, https-redirect with an escape path.
const app = createApp({
  controllers: [PingController],
  config: {
    header_timeout: 10,
    log: { console: false },
    server: [
      { ip: '127.0.0.1', port: 0, header_timeout: 0.3 },
      {
        ip: '127.0.0.1',
        port: 0,
        SSL: true,
        host: [
          { host: 'a.test', cert_path: a.cert, key_path: a.key },
          { host: 'b.test', cert_path: b.cert, key_path: b.key },
        ],
      },
      { ip: '127.0.0.1', port: 0, 'https-redirect': true, 'https-redirect-escape-paths': ['/ping'] },
    ],
  },
});
let plain = 0;
let secure = 0;
let redirecting = 0;

beforeAll(async () => {
  await app.start({ handleSignals: false });
  [plain, secure, redirecting] = app.addresses.map((address) => address.port) as [number, number, number];
});
afterAll(async () => {
  await app.stop();
  temp.remove();
});

describe('config.json drives the transport', () => {
  it('applies a server entry header_timeout (408) and publishes the count at /_bbws/metrics/timeouts', async () => {
    const socket = net.connect(plain, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /ping HTTP/1.1\r\nHost: x\r\n');
    const response = await readResponse(new ByteReader(socket));
    expect(response.status).toBe(408);
    socket.destroy();
    const metrics = await request(`http://127.0.0.1:${plain}/_bbws/metrics/timeouts`);
    expect(await metrics.body.json()).toMatchObject({ 'timeouts.header': 1 });
  });

  it('serves TLS with the SNI host list, and routes on the SNI domain (curl --resolve)', async () => {
    const args = (host: string, cert: string, path: string) => [
      '-sS',
      '--resolve',
      `${host}:${secure}:127.0.0.1`,
      '--cacert',
      cert,
      `https://${host}:${secure}${path}`,
    ];
    expect((await run('curl', args('a.test', a.cert, '/ping'))).stdout).toBe('pong');
    expect((await run('curl', args('b.test', b.cert, '/who'))).stdout).toBe('b.test only');
    const wrongDomain = await run('curl', [
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      ...args('a.test', a.cert, '/who'),
    ]);
    expect(wrongDomain.stdout).toBe('404');
  });

  it('redirects to the TLS listener (its port in the URL) except the escape paths', async () => {
    const moved = await request(`http://127.0.0.1:${redirecting}/who`, { headers: { host: 'b.test' } });
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe(`https://b.test:${secure}/who`);
    await moved.body.dump();
    const followed = await run('curl', [
      '-sS',
      '--resolve',
      `b.test:${secure}:127.0.0.1`,
      '--cacert',
      b.cert,
      String(moved.headers.location),
    ]);
    expect(followed.stdout).toBe('b.test only');
    const escaped = await request(`http://127.0.0.1:${redirecting}/ping`);
    expect(await escaped.body.text()).toBe('pong');
  });
});
