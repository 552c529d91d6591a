import net from 'node:net';
import { ByteReader, readResponse } from '@bbws/testing';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickstartApp } from '../../apps/quickstart/src/app.js';

const app = quickstartApp({ server: [{ ip: '127.0.0.1', port: 0 }], keep_alive_max_requests: 1000 });
let port = 0;
beforeAll(async () => {
  await app.start();
  port = app.addresses[0]?.port ?? 0;
});
afterAll(() => app.stop());

describe('keep-alive', () => {
  it('serves 100 sequential requests on one socket', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let closed = false;
    socket.once('close', () => {
      closed = true;
    });
    const reader = new ByteReader(socket);
    for (let i = 0; i < 100; i++) {
      socket.write('GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n');
      const res = await readResponse(reader);
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe('Hello from bbwebservice!');
      expect(res.headerList.find(([n]) => n === 'connection')).toBeUndefined();
    }
    expect(closed).toBe(false);
    socket.destroy();
  });

  it('answers pipelined requests in order', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const reader = new ByteReader(socket);
    socket.write(
      'GET /hello HTTP/1.1\r\nHost: a\r\n\r\nGET /nope HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    );
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await readResponse(reader)).status);
    expect(statuses).toEqual([200, 404, 200]);
    expect(await reader.next()).toBeNull();
  });

  it('serves an undici client over a real socket', async () => {
    const client = new Client(`http://127.0.0.1:${port}`);
    try {
      for (let i = 0; i < 5; i++) {
        const res = await client.request({ method: 'GET', path: '/hello' });
        expect(res.statusCode).toBe(200);
        expect(await res.body.text()).toBe('Hello from bbwebservice!');
      }
    } finally {
      await client.close();
    }
  });
});
