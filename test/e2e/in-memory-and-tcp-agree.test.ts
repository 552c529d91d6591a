import net from 'node:net';
import { ByteReader, readResponse, TestClient } from 'bbwebservice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickstartApp } from '../../apps/quickstart/src/app.js';

const app = quickstartApp({ server: [{ ip: '127.0.0.1', port: 0 }] });
let port = 0;

beforeAll(async () => {
  await app.start();
  port = app.addresses[0]?.port ?? 0;
});
afterAll(() => app.stop());

const cases = [
  'GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
  'HEAD /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
  'GET /missing HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
  'POST /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc',
  'GET /hello HTTP/1.0\r\n\r\n',
  'GET /hello HTTP/9.9\r\nHost: localhost\r\n\r\n',
];

async function overTcp(bytes: string) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const reader = new ByteReader(socket);
  socket.write(bytes, 'latin1');
  try {
    return await readResponse(reader, bytes.startsWith('HEAD'));
  } finally {
    socket.destroy();
  }
}

const withoutDate = (list: ReadonlyArray<readonly [string, string]>) =>
  list.filter(([name]) => name !== 'date');

describe('the in-memory transport and TCP', () => {
  it.each(cases)('give the same status, headers and body for %j', async (bytes) => {
    const tcp = await overTcp(bytes);
    const [memory] = await TestClient.fromApp(app).raw(bytes, { isHead: bytes.startsWith('HEAD') });
    expect(memory?.status).toBe(tcp.status);
    expect(withoutDate(memory?.headerList ?? [])).toEqual(withoutDate(tcp.headerList));
    expect(memory?.bytes().equals(tcp.body)).toBe(true);
  });
});
