import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange, header, RawClient, startServer, type TestServer } from './support/servers.js';

let target: TestServer;
beforeAll(async () => {
  target = await startServer({ limits: { maxUrlLength: 64, maxHeaderBytes: 512, maxBodyBytes: 100 } });
});
afterAll(() => target.stop());

async function statusOf(bytes: string, endInput = false): Promise<{ status: number; closed: boolean }> {
  const client = await RawClient.connect(target.port);
  try {
    client.write(bytes);
    if (endInput) client.socket.end();
    const response = await client.read();
    return { status: response.status, closed: await client.isClosedWithin(1000) };
  } finally {
    client.close();
  }
}

describe('enforces the request limits', () => {
  it('answers 414 for a target longer than max_url_length, and accepts one at the limit', async () => {
    expect(await statusOf(`GET /${'a'.repeat(64)} HTTP/1.1\r\nHost: x\r\n\r\n`)).toEqual({
      status: 414,
      closed: true,
    });
    const { response } = await exchange(
      target.port,
      `GET /${'a'.repeat(63)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      '127.0.0.1',
      0,
    );
    expect(response.status).toBe(200);
  });

  it('answers 414 while a long target is still arriving', async () => {
    expect(await statusOf(`GET /${'a'.repeat(200)}`)).toEqual({ status: 414, closed: true });
  });

  it('answers 431 for a head larger than max_header_size, complete or not', async () => {
    const big = `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(600)}\r\n\r\n`;
    expect(await statusOf(big)).toEqual({ status: 431, closed: true });
    expect(await statusOf(big.slice(0, 560))).toEqual({ status: 431, closed: true });
  });

  it('answers 413 for a declared body larger than max_body_size, without reading it', async () => {
    expect(await statusOf('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n')).toEqual({
      status: 413,
      closed: true,
    });
    expect(await statusOf(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${'9'.repeat(30)}\r\n\r\n`)).toEqual(
      {
        status: 413,
        closed: true,
      },
    );
  });

  it('answers 413 when a chunked body counts past max_body_size', async () => {
    const bytes = `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n${'a'.repeat(64)}\r\n40\r\n`;
    expect(await statusOf(bytes)).toEqual({ status: 413, closed: true });
  });

  it('answers 431 for a trailer section larger than max_header_size', async () => {
    const bytes = `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: ${'t'.repeat(600)}\r\n\r\n`;
    expect(await statusOf(bytes)).toEqual({ status: 431, closed: true });
  });

  it('answers 505 for an HTTP major version other than 1', async () => {
    expect(await statusOf('GET / HTTP/2.0\r\nHost: x\r\n\r\n')).toEqual({ status: 505, closed: true });
    expect(await statusOf('GET / HTTP/3.1\r\nHost: x\r\n\r\n')).toEqual({ status: 505, closed: true });
    expect(await statusOf('GET / HTTP/0.9\r\n\r\n')).toEqual({ status: 505, closed: true });
  });

  it('serves a higher HTTP/1 minor version as HTTP/1.1 (RFC 9110 §6.2), keeping the connection', async () => {
    expect(await statusOf('GET / HTTP/1.2\r\nHost: x\r\n\r\n')).toEqual({ status: 200, closed: false });
  });

  it('answers 417 for an Expect other than 100-continue', async () => {
    expect(await statusOf('POST / HTTP/1.1\r\nHost: x\r\nExpect: tea\r\nContent-Length: 1\r\n\r\na')).toEqual(
      {
        status: 417,
        closed: true,
      },
    );
  });

  it('answers 100 Continue before reading a body the client holds back', async () => {
    const client = await RawClient.connect(target.port);
    client.write('POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\n');
    const interim = await client.read();
    expect(interim.status).toBe(100);
    client.write('hello');
    const final = await client.read();
    expect(final.status).toBe(200);
    expect(JSON.parse(final.body.toString()).body).toBe('hello');
    client.close();
  });

  it('sends no 100 Continue before a 413 for a declared body too large', async () => {
    const { response } = await exchange(
      target.port,
      'POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n',
    );
    expect(response.status).toBe(413);
    expect(header(response, 'connection')).toBe('close');
  });
});
