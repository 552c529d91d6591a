import { describe, expect, it } from 'vitest';
import { HttpServer } from '../src/index.js';
import { echoed, echoHandler, exchange, serveOnEveryFamily } from './support/servers.js';

const { ports } = serveOnEveryFamily(echoHandler);

describe('listeners', () => {
  it('serves IPv4 with the local address as endpoint ip', async () => {
    const { response } = await exchange(
      ports[0] ?? 0,
      'GET / HTTP/1.1\r\nHost: a.test\r\n\r\n',
      '127.0.0.1',
      0,
    );
    expect(echoed(response).endpoint).toEqual({
      ip: '127.0.0.1',
      port: ports[0],
      domain: 'a.test',
      isTls: false,
    });
  });

  it('serves IPv6 on ::1 given in brackets; the endpoint ip has none', async () => {
    const { response } = await exchange(ports[1] ?? 0, 'GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n', '::1', 0);
    const req = echoed(response);
    expect(req.endpoint).toEqual({ ip: '::1', port: ports[1], domain: '::1', isTls: false });
    expect(req.remoteAddress).toBe('::1');
  });

  it('binds every interface for "default", reporting IPv4 clients without the ::ffff: prefix', async () => {
    const v4 = echoed(
      (await exchange(ports[2] ?? 0, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', '127.0.0.1', 0)).response,
    );
    expect(v4.endpoint.ip).toBe('127.0.0.1');
    expect(v4.remoteAddress).toBe('127.0.0.1');
    const v6 = echoed(
      (await exchange(ports[2] ?? 0, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', '::1', 0)).response,
    );
    expect(v6.endpoint.ip).toBe('::1');
  });

  it('fails listen() with a coded error when the address is taken', async () => {
    const clash = new HttpServer({
      handler: echoHandler,
      listeners: [{ ip: '127.0.0.1', port: ports[0] ?? 0 }],
    });
    await expect(clash.listen()).rejects.toMatchObject({ code: 'BBWS_ERR_TRANSPORT_LISTEN' });
    await clash.close(100);
  });
});
