import http from 'node:http';
import net from 'node:net';
import { type App, toNodeListener } from '@bbws/core';
import { ByteReader, TestClient } from '@bbws/testing';
import { isRaw, type ParityCase, requestBytes } from './cases.js';

/**
 * One way to get an app's answer to a parity case: everything the server wrote until it
 * closed the connection. Byte-level transports run our own connection code and must agree
 * byte for byte (less Date). A message-level transport (the adapter runtime behind a host
 * server) writes framing of its host's choosing, so it runs structured cases only and must
 * agree on status, header fields other than framing, and body.
 */
export interface ParityTransport {
  readonly name: string;
  readonly level: 'bytes' | 'message';
  exchange(c: ParityCase): Promise<Buffer>;
  close(): Promise<void>;
}

const READ_LIMIT_MS = 5_000;

function bytesOf(c: ParityCase): Buffer {
  return isRaw(c) ? Buffer.from(c.raw, 'latin1') : requestBytes(c);
}

/** Reads until the peer closes, failing (not hanging) after READ_LIMIT_MS. */
async function untilClose(read: () => Promise<Buffer>, what: string): Promise<Buffer> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: connection still open after ${READ_LIMIT_MS} ms`)),
      READ_LIMIT_MS,
    );
  });
  try {
    return await Promise.race([read(), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** The in-memory transport: TestClient's connection, with the endpoint of the TCP listener. */
export function inMemory(app: App, port: number): ParityTransport {
  const client = TestClient.fromApp(app, { ip: '127.0.0.1', port });
  return {
    name: 'in-memory',
    level: 'bytes',
    close: async () => {},
    async exchange(c) {
      const connection = client.connect();
      connection.write(bytesOf(c));
      try {
        return await untilClose(() => connection.readUntilClose(), `in-memory ${c.name}`);
      } finally {
        connection.destroy();
      }
    },
  };
}

/** Sends the case on a fresh socket to `port` and reads until the server closes. */
async function overSocket(port: number, c: ParityCase, what: string): Promise<Buffer> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const reader = new ByteReader(socket);
  socket.write(bytesOf(c));
  try {
    return await untilClose(async () => {
      const chunks: Buffer[] = [];
      for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next()) chunks.push(chunk);
      return Buffer.concat(chunks);
    }, `${what} ${c.name}`);
  } finally {
    socket.destroy();
  }
}

/** Real TCP: a socket to the app's own listener on 127.0.0.1. */
export function tcp(port: number): ParityTransport {
  return {
    name: 'tcp',
    level: 'bytes',
    exchange: (c) => overSocket(port, c, 'tcp'),
    close: async () => {},
  };
}

/** The adapter runtime: `toNodeListener(app)` behind a `node:http` server on loopback. */
export async function nodeAdapter(app: App): Promise<ParityTransport> {
  const server = http.createServer(toNodeListener(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    name: 'adapter (node:http)',
    level: 'message',
    exchange: (c) => overSocket(port, c, 'adapter'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
