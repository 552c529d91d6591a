import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/servers.js';

// Issue 11, bug 6: header bytes were written as UTF-8 or latin1 depending on the body.
// One rule now: header values are latin1 (an obs-text byte per character), the body UTF-8.

let target: TestServer | null = null;
afterEach(async () => {
  await target?.stop();
  target = null;
});

/** The raw bytes of the header line `x-name: ...` in a response head. */
function headerBytes(raw: Buffer): Buffer {
  const start = raw.indexOf('X-Name: ');
  const end = raw.indexOf('\r\n', start);
  return raw.subarray(start + 'X-Name: '.length, end);
}

/** Everything the server sends on one connection until it closes it. */
function rawExchange(port: number, request: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no close within 2 s'));
    }, 2000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.write(request, 'latin1');
  });
}

describe('header bytes follow one rule whatever the body', () => {
  it.each([
    ['an ASCII body', 'plain'],
    ['a non-ASCII body', 'grüße €'],
    ['an empty body', ''],
  ])('latin1 header value with %s', async (_name, body) => {
    target = await startServer({
      handler: (_request, sink) => sink.send(200, 'X-Name: caf\u00e9\r\n', body),
    });
    for (let round = 0; round < 2; round++) {
      // The second round goes through the repeated-response cache.
      const raw = await rawExchange(target.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect([...headerBytes(raw)]).toEqual([0x63, 0x61, 0x66, 0xe9]);
      const bodyBytes = raw.subarray(raw.indexOf('\r\n\r\n') + 4);
      expect(bodyBytes.toString('utf8')).toBe(body);
    }
  });
});
