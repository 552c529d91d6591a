import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { serveOnEveryFamily } from './support/servers.js';

// Issue 15: the transport reads a socket's peer address from its handle into one shared object,
// not through `socket.remoteAddress` (which leaves an object on every socket), and keeps one
// string per client address. The independent source here is the client's own socket: what it
// calls its local address and port is what the server must call the peer's.

interface Seen {
  remoteAddress: string;
  remotePort: number | undefined;
}

const seen: Seen[] = [];
const { server, ports } = serveOnEveryFamily((request, sink) => {
  seen.push({ remoteAddress: request.remoteAddress, remotePort: request.remotePort });
  sink.send(200, '', 'ok');
});

/** Opens `count` keep-alive clients to host:port, each asks once; returns their local address and port. */
async function clients(
  host: string,
  port: number,
  count: number,
): Promise<{ address: string; port: number }[]> {
  const sockets: net.Socket[] = [];
  try {
    const mine: { address: string; port: number }[] = [];
    for (let i = 0; i < count; i++) {
      const socket = net.connect({ host, port });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      mine.push({ address: socket.localAddress ?? '', port: socket.localPort ?? 0 });
      const answered = new Promise<string>((resolve) =>
        socket.once('data', (chunk) => resolve(String(chunk))),
      );
      socket.write(`GET /${i} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(await answered).toMatch(/^HTTP\/1\.1 200 /);
    }
    return mine;
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}

describe("a request's remote address and port", () => {
  it('are the IPv4 client socket’s local address and port, for each of several connections', async () => {
    seen.length = 0;
    const mine = await clients('127.0.0.1', ports[0] ?? 0, 5);
    expect(seen).toEqual(mine.map((m) => ({ remoteAddress: m.address, remotePort: m.port })));
    // Five connections, five different ports: nothing is left over from one socket to the next.
    expect(new Set(seen.map((s) => s.remotePort)).size).toBe(5);
  });

  it('are the IPv6 client socket’s address and port', async () => {
    seen.length = 0;
    const mine = await clients('::1', ports[1] ?? 0, 3);
    expect(seen).toEqual(mine.map((m) => ({ remoteAddress: m.address, remotePort: m.port })));
    expect(seen[0]?.remoteAddress).toBe('::1');
  });

  it('name an IPv4 client of a dual-stack listener without the ::ffff: prefix', async () => {
    seen.length = 0;
    const mine = await clients('127.0.0.1', ports[2] ?? 0, 2);
    expect(seen).toEqual(
      mine.map((m) => ({ remoteAddress: m.address.replace(/^::ffff:/, ''), remotePort: m.port })),
    );
    expect(seen[0]?.remoteAddress).toBe('127.0.0.1');
  });

  it('keep their address after the client has gone (read at connect)', async () => {
    seen.length = 0;
    const socket = net.connect({ host: '127.0.0.1', port: ports[0] ?? 0 });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const local = socket.localPort;
    // The whole request and the FIN arrive together: the peer may be gone when the handler runs.
    socket.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += String(chunk);
      });
      socket.once('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(seen).toEqual([{ remoteAddress: '127.0.0.1', remotePort: local }]);
  });
});

describe('a closed connection', () => {
  it('leaves the server: its count goes back to zero once the clients close', async () => {
    await clients('127.0.0.1', ports[0] ?? 0, 20);
    for (let i = 0; i < 100 && server.connectionCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(server.connectionCount).toBe(0);
  });
});
