import net from 'node:net';
import type { App } from '@bbws/core';
import { ByteReader, TestClient } from '@bbws/testing';
import { isRaw, type ParityCase, requestBytes } from './cases.js';

/**
 * One way to get an app's answer to a parity case. Byte transports return the raw bytes the
 * server wrote until it closed the connection; a transport that cannot see raw bytes (the
 * adapter runtime, once it exists) returns `null` for `raw`, runs structured cases only, and is
 * compared on the parsed responses.
 */
export interface ParityTransport {
  readonly name: string;
  /** Whether it can send raw cases (bytes on the wire). */
  readonly isByteLevel: boolean;
  /** Everything the server wrote for the case, until it closed the connection. */
  exchange(c: ParityCase): Promise<Buffer>;
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
    isByteLevel: true,
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

/** Real TCP: a socket to the app's listener on 127.0.0.1. */
export function tcp(port: number): ParityTransport {
  return {
    name: 'tcp',
    isByteLevel: true,
    async exchange(c) {
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
          for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next())
            chunks.push(chunk);
          return Buffer.concat(chunks);
        }, `tcp ${c.name}`);
      } finally {
        socket.destroy();
      }
    },
  };
}
