import http from 'node:http';
import net from 'node:net';
import { type App, toFetchHandler, toNodeListener } from '@bbws/core';
import { ByteReader, TestClient } from '@bbws/testing';
import { isRaw, type ParityCase, type RuntimeName, requestBytes } from './cases.js';
import { startFetchHost } from './fetch-host.js';

/**
 * One runtime's answer to a parity case: everything the server wrote until it closed the
 * connection. Byte-level runtimes run our own connection code and must agree byte for byte
 * (less Date). A message-level runtime (an adapter behind a host server) writes framing of its
 * host's choosing, so it must agree on status, header fields other than framing, and body;
 * `headerOrder: 'sorted'` says its host sorts header names and joins repeated fields (the
 * WHATWG `Headers` of a fetch host), so fields are compared in that form.
 */
export interface ParityTransport {
  readonly name: RuntimeName;
  readonly level: 'bytes' | 'message';
  readonly headerOrder: 'kept' | 'sorted';
  exchange(c: ParityCase): Promise<Buffer>;
  close(): Promise<void>;
}

const READ_LIMIT_MS = 5_000;

function bytesOf(c: ParityCase): Buffer {
  return isRaw(c) ? Buffer.from(c.raw, 'latin1') : requestBytes(c);
}

/** The port of the listener a case arrives on, among the app's bound ones. */
function portFor(c: ParityCase, ports: readonly number[]): number {
  const index = isRaw(c) ? 0 : (c.listener ?? 0);
  const port = ports[index];
  if (port === undefined) throw new Error(`case ${c.name}: the app has no listener #${index}`);
  return port;
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

/**
 * The in-memory transport: TestClient's connection to the listener the case names (by the
 * port it bound), so it runs with that listener's limits and https-redirect.
 */
export function inMemory(app: App, ports: readonly number[]): ParityTransport {
  const client = TestClient.fromApp(app);
  return {
    name: 'in-memory',
    level: 'bytes',
    headerOrder: 'kept',
    close: async () => {},
    async exchange(c) {
      const connection = client.connect({ port: portFor(c, ports) });
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
  // A host that rejects the request may reset the socket: what it wrote before still counts.
  socket.on('error', () => {});
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

/** Real TCP: a socket to the app's own listener (the one the case names) on 127.0.0.1. */
export function tcp(ports: readonly number[]): ParityTransport {
  return {
    name: 'tcp',
    level: 'bytes',
    headerOrder: 'kept',
    exchange: (c) => overSocket(portFor(c, ports), c, 'tcp'),
    close: async () => {},
  };
}

/** The adapter runtime: `toNodeListener(app)` behind a `node:http` server on loopback. */
export async function nodeAdapter(app: App): Promise<ParityTransport> {
  const server = http.createServer(toNodeListener(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    name: 'node adapter',
    level: 'message',
    headerOrder: 'kept',
    exchange: (c) => overSocket(port, c, 'node adapter'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The adapter runtime for fetch hosts: `toFetchHandler(app)` behind a node:http fetch host. */
export async function fetchAdapter(app: App): Promise<ParityTransport> {
  const remoteAddresses = new WeakMap<Request, string>();
  const handler = toFetchHandler(app, { remoteAddress: (request) => remoteAddresses.get(request) ?? '' });
  const host = await startFetchHost(handler, remoteAddresses);
  return {
    name: 'fetch adapter',
    level: 'message',
    headerOrder: 'sorted',
    exchange: (c) => overSocket(host.port, c, 'fetch adapter'),
    close: () => host.close(),
  };
}
