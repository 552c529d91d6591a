import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { header, RawClient, startServer } from './support/servers.js';

// Issue 11, bug 13 (the transport's part): a request that reached the server before the stop
// began is answered, with Connection: close, even when its connection looked idle or was still
// waiting in the kernel's accept backlog.

describe('a graceful stop answers what arrived before it', () => {
  it('a request written on an idle kept-alive connection just before the stop is answered', async () => {
    const target = await startServer();
    const client = await RawClient.connect(target.port);
    try {
      client.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\n');
      expect((await client.read()).status).toBe(200);
      // The connection is idle now; the next request reaches the kernel, then the stop begins.
      client.write('GET /second HTTP/1.1\r\nHost: x\r\n\r\n');
      const stopping = target.server.close(2000);
      const response = await client.read();
      expect(response.status).toBe(200);
      expect(header(response, 'connection')).toBe('close');
      await stopping;
    } finally {
      client.close();
    }
  });

  it('connections that completed their TCP handshake before the stop are answered, not reset', async () => {
    const target = await startServer();
    const count = 20;
    const sockets = await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<net.Socket>((resolve, reject) => {
            const socket = net.connect(target.port, '127.0.0.1', () => resolve(socket));
            socket.on('error', reject);
          }),
      ),
    );
    const answers = sockets.map(
      (socket) =>
        new Promise<string>((resolve) => {
          let text = '';
          socket.on('data', (chunk: Buffer) => {
            text += chunk.toString('latin1');
          });
          socket.on('error', () => resolve(`error: ${text}`));
          socket.on('close', () => resolve(text));
        }),
    );
    for (const socket of sockets) socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await target.server.close(2000);
    const texts = await Promise.all(answers);
    const answered = texts.filter((text) => text.startsWith('HTTP/1.1 200 ')).length;
    expect(answered).toBe(count);
  });
});
