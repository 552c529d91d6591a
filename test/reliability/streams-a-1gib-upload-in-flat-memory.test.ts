import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ChildServer, RssSampler } from './support/child-server.js';
import { printFigures } from './support/drill-report.js';

/**
 * An `@Upload()` route streams its body: a 1 GiB file, generated as it is sent, goes through a
 * real socket to a server in its own process whose route allows 2 GiB, while max_body_size
 * stays at its 10 MiB default. The server's RSS must stay flat (the body is never held), and
 * the handler must see every byte (its SHA-256 equals the sender's).
 */
const FILE_BYTES = 1024 * 1_048_576;
const LIMIT_BYTES = 2 * 1024 * 1_048_576;
const PIECE_BYTES = 1_048_576;
const RSS_GROWTH_BAR_MIB = 64;
const UPLOAD_BOUND_MS = 180_000;
const BOUNDARY = 'bbws-drill-boundary-7f3a9c2e51d04b68';

/** Sends the multipart upload with backpressure and returns the answer's body and the file's hash. */
function upload(port: number): Promise<{ status: number; body: string; sha256: string; sentMs: number }> {
  const preamble = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
    'latin1',
  );
  const epilogue = Buffer.from(`\r\n--${BOUNDARY}--\r\n`, 'latin1');
  const length = preamble.length + FILE_BYTES + epilogue.length;
  const random = randomBytes(PIECE_BYTES);
  const hash = createHash('sha256');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let sentMs = 0;
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      response += text;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = response.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, body: rest.join('\r\n\r\n'), sha256: hash.digest('hex'), sentMs });
    });
    socket.write(
      `POST /upload HTTP/1.1\r\nHost: drill\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${length}\r\n\r\n`,
      'latin1',
    );
    socket.write(preamble);
    let sent = 0;
    const pump = () => {
      while (sent < FILE_BYTES) {
        // Each piece differs (its index in the first bytes), so a lost or repeated piece changes the hash.
        const piece = Buffer.from(random);
        piece.writeUInt32BE(sent / PIECE_BYTES, 0);
        sent += PIECE_BYTES;
        hash.update(piece);
        if (!socket.write(piece)) {
          socket.once('drain', pump);
          return;
        }
      }
      sentMs = performance.now() - started;
      socket.write(epilogue);
    };
    pump();
  });
}

describe('an upload route streams its body', () => {
  it(
    'a 1 GiB upload with a 2 GiB route limit keeps RSS flat, and the handler sees every byte',
    async () => {
      const server = await ChildServer.start('bbws', {
        mode: 'upload',
        maxTotalBytes: LIMIT_BYTES,
        config: { handler_timeout: 30 },
      });
      try {
        // A small upload first, so the baseline includes the code paths the big one takes.
        await warmUp(server.port);
        const rss = new RssSampler(server, 50).start();
        const answer = await upload(server.port);
        const figures = rss.stop();
        printFigures('1GiB-streamed-upload', 'ours', {
          sentMs: Math.round(answer.sentMs),
          baselineMiB: figures.baselineMiB,
          peakMiB: figures.peakMiB,
          growthMiB: figures.growthMiB,
        });
        expect(answer.status).toBe(200);
        const files = (JSON.parse(answer.body) as { files: { bytes: number; sha256: string }[] }).files;
        expect(files).toEqual([{ name: 'big.bin', bytes: FILE_BYTES, sha256: answer.sha256 }]);
        expect(figures.growthMiB).toBeLessThan(RSS_GROWTH_BAR_MIB);
        expect(server.isAlive).toBe(true);
      } finally {
        await server.kill();
      }
    },
    UPLOAD_BOUND_MS,
  );
});

async function warmUp(port: number): Promise<void> {
  const body =
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="w.bin"\r\n\r\n` +
    `${'w'.repeat(4 * 1_048_576)}\r\n--${BOUNDARY}--\r\n`;
  const res = await fetch(`http://127.0.0.1:${port}/upload`, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body,
  });
  expect(res.status).toBe(200);
  await res.text();
}
