import { createHash } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedReadCount } from '../src/connection/shared-reads.js';
import type { BodyStreamPolicy, RequestHandler } from '../src/index.js';
import { exchange, startServer, type TestServer } from './support/servers.js';
import { ByteReader, readResponse } from './support/wire.js';

// Plain TCP sockets read into one buffer that every socket shares (shared-reads.ts): the next
// read of any socket writes over it. Held here over real sockets against what each client
// sent: many clients pipeline bodies split at random points while handlers hold the bodies
// across turns of the event loop, so any byte a request kept of the shared buffer would be
// overwritten by another client's bytes before the handler hashes it.

let target: TestServer | null = null;
afterEach(async () => {
  await target?.stop();
  target = null;
});

const sha = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** Deterministic choices, so a failure repeats. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Answers with what the request carried, hashed only after the handler waited `ms` in its query. */
const holdingHandler: RequestHandler = Object.assign(
  (request: Parameters<RequestHandler>[0], sink: Parameters<RequestHandler>[1]) => {
    const wait = Number(new URLSearchParams(request.query).get('wait') ?? '0');
    const id = request.headers[request.headers.indexOf('x-id') + 1] ?? '';
    const stream = request.bodyStream;
    if (stream !== null && stream !== undefined) {
      const pieces: Buffer[] = [];
      stream.on('data', (piece: Buffer) => {
        pieces.push(piece);
        // Read slowly: later reads of every socket land in the shared buffer meanwhile.
        stream.pause();
        setTimeout(() => stream.resume(), 1);
      });
      stream.on('end', () => {
        setTimeout(() => sink.send(200, '', `${request.path} ${id} ${sha(Buffer.concat(pieces))}`), wait);
      });
      return;
    }
    const body = request.body;
    setTimeout(() => sink.send(200, '', `${request.path} ${id} ${sha(body ?? '')}`), wait);
  },
  {
    bodyStreamLimit: ((_method, path) => (path.startsWith('/stream') ? 1 << 20 : -1)) as BodyStreamPolicy,
  },
);

interface Sent {
  readonly bytes: Buffer;
  readonly expected: string;
}

/** One request with a random body: Content-Length or chunked, buffered or streamed. */
function request(client: number, n: number, random: () => number): Sent {
  const body = Buffer.alloc(Math.floor(random() * 3000));
  for (let i = 0; i < body.length; i++) body[i] = Math.floor(random() * 256);
  // Bytes that look like the end of a head or a chunk inside the body.
  if (body.length > 8 && random() < 0.5)
    body.write('\r\n\r\n0\r\n\r\n', Math.floor(random() * (body.length - 8)), 'latin1');
  const path = `${random() < 0.3 ? '/stream' : '/buffered'}/${client}/${n}`;
  const id = `${client}-${n}-${sha(body).slice(0, 8)}`;
  const query = `?wait=${Math.floor(random() * 4)}`;
  let head: string;
  let framed: Buffer;
  if (random() < 0.5) {
    head = `POST ${path}${query} HTTP/1.1\r\nHost: t\r\nX-Id: ${id}\r\nContent-Length: ${body.length}\r\n\r\n`;
    framed = body;
  } else {
    head = `POST ${path}${query} HTTP/1.1\r\nHost: t\r\nX-Id: ${id}\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const parts: Buffer[] = [];
    for (let at = 0; at < body.length; ) {
      const size = Math.min(body.length - at, 1 + Math.floor(random() * 700));
      parts.push(
        Buffer.from(`${size.toString(16)}\r\n`, 'latin1'),
        body.subarray(at, at + size),
        Buffer.from('\r\n'),
      );
      at += size;
    }
    parts.push(Buffer.from('0\r\n\r\n', 'latin1'));
    framed = Buffer.concat(parts);
  }
  return {
    bytes: Buffer.concat([Buffer.from(head, 'latin1'), framed]),
    expected: `${path} ${id} ${sha(body)}`,
  };
}

/** Writes `bytes` in random pieces, each after a turn of the event loop; resolves with every answer body. */
async function pipeline(
  port: number,
  bytes: Buffer,
  answers: number,
  random: () => number,
): Promise<string[]> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const reader = new ByteReader(socket);
  const written = (async () => {
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + Math.floor(random() * 2500);
      socket.write(bytes.subarray(at, at + size));
      at += size;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const bodies: string[] = [];
  for (let i = 0; i < answers; i++) {
    const response = await readResponse(reader);
    expect(response.status).toBe(200);
    bodies.push(response.body.toString('latin1'));
  }
  await written;
  socket.destroy();
  return bodies;
}

describe('TCP reads share one buffer, and no request keeps a byte of it', () => {
  it('reads plain TCP sockets through the shared buffer', async () => {
    target = await startServer();
    const before = sharedReadCount();
    const { response } = await exchange(target.port, 'GET /x HTTP/1.1\r\nHost: t\r\n\r\n', '127.0.0.1', 0);
    expect(response.status).toBe(200);
    expect(sharedReadCount()).toBeGreaterThan(before);
  });

  it('gives every handler the bodies and headers its own client sent, 32 clients pipelining at once', async () => {
    target = await startServer({ handler: holdingHandler });
    const port = target.port;
    const clients = Array.from({ length: 32 }, (_, client) => {
      const random = prng(client + 1);
      const sent = Array.from({ length: 10 }, (_, n) => request(client, n, random));
      return { sent, random };
    });
    const before = sharedReadCount();
    const answers = await Promise.all(
      clients.map(({ sent, random }) =>
        pipeline(port, Buffer.concat(sent.map((s) => s.bytes)), sent.length, random),
      ),
    );
    for (const [i, { sent }] of clients.entries()) expect(answers[i]).toEqual(sent.map((s) => s.expected));
    // Every connection read through the shared buffer (pipelined requests share reads).
    expect(sharedReadCount() - before).toBeGreaterThanOrEqual(32);
  });

  it('keeps pipelined bytes it paused for, and answers them in order after the pause', async () => {
    // The first request is held 150 ms while 600 KiB of pipelined requests arrive: the connection
    // stops reading past 64 KiB, keeps what it read (copied out of the shared buffer), and
    // goes on once the first is answered.
    target = await startServer({ handler: holdingHandler, limits: { keepAliveMaxRequests: 0 } });
    const random = prng(99);
    const first = request(0, 0, random);
    const slow = Buffer.from(first.bytes.toString('latin1').replace('?wait=', '?wait=150'), 'latin1');
    const sent = [
      { bytes: slow, expected: first.expected },
      ...Array.from({ length: 400 }, (_, n) => request(1, n, random)),
    ];
    const total = sent.reduce((sum, s) => sum + s.bytes.length, 0);
    expect(total).toBeGreaterThan(512 * 1024);
    const answers = await pipeline(target.port, Buffer.concat(sent.map((s) => s.bytes)), sent.length, random);
    expect(answers).toEqual(sent.map((s) => s.expected));
  });

  it('serves connections that waited in the accept queue with what they sent before admission', async () => {
    // One request at a time: the others' sockets wait in the queue, their bytes read into the
    // socket's own stream (data events) before the shared buffer is turned on for them.
    target = await startServer({ handler: holdingHandler, limits: { maxInFlight: 1, queueSize: 16 } });
    const port = target.port;
    const random = prng(7);
    const holder = request(100, 0, random);
    const held = pipeline(
      port,
      Buffer.from(holder.bytes.toString('latin1').replace('?wait=', '?wait=200'), 'latin1'),
      1,
      random,
    );
    await sleep(30);
    const queued = Array.from({ length: 6 }, (_, client) => {
      const sent = Array.from({ length: 3 }, (_, n) => request(200 + client, n, random));
      return { sent, answers: pipeline(port, Buffer.concat(sent.map((s) => s.bytes)), sent.length, random) };
    });
    expect(await held).toEqual([holder.expected]);
    for (const { sent, answers } of queued) expect(await answers).toEqual(sent.map((s) => s.expected));
  });
});
