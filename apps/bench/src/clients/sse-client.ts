/**
 * The SSE fan-out client: opens CLIENTS connections to `GET /events`, then triggers events with
 * `GET /broadcast` on one more keep-alive connection, and counts the events delivered (each
 * `data:` line). Two loads:
 *
 *   node dist/clients/sse-client.js PORT CLIENTS DURATION_MS [WARMUP_MS]
 *     the suite's: up to WINDOW broadcasts in flight, each sent only when every client got the
 *     event WINDOW broadcasts back, for DURATION ms (after WARMUP ms);
 *   node dist/clients/sse-client.js PORT CLIENTS --lockstep BATCH BATCHES [WARMUP_BATCHES]
 *     a fixed count: BATCHES times, BATCH pipelined broadcasts in one write, the next batch only
 *     once every client got every event of this one and every broadcast was answered. Each batch
 *     reaches the server in one read, so how many events a server has to write per socket in one
 *     tick does not depend on timing (what `run.js sse-writes` counts write calls over).
 *
 * Prints `READY <clients>` once every stream's head arrived, `MEASURE` after the warm-up, then
 * `DONE <json>` (the figures of the measured part) at the end, and
 * keeps the connections open until stdin closes (the suite reads the server's memory first).
 * In lockstep, the server has nothing left to write when `MEASURE` and `DONE` are printed, and
 * the measured part starts only when a line arrives on stdin (the runner has read its counters).
 */
import net from 'node:net';

const args = process.argv.slice(2);
const [port, clients] = args.slice(0, 2).map(Number) as [number, number];
const isLockstep = args[2] === '--lockstep';
// The suite's load: DURATION_MS [WARMUP_MS]; lockstep: BATCH BATCHES [WARMUP_BATCHES].
const [durationMs = 0, warmupMs = 0] = isLockstep ? [] : args.slice(2).map(Number);
const [batch = 0, batches = 0, warmupBatches = 0] = isLockstep ? args.slice(3).map(Number) : [];
const WINDOW = 4;
/** Lockstep: how long one batch may take before the client gives up (a lost event, not a figure). */
const BATCH_LIMIT_MS = 30_000;
const MARKER = Buffer.from('data:');
const HEAD_END = Buffer.from('\r\n\r\n');

let delivered = 0;
const sockets: net.Socket[] = [];
/** Lockstep: called after every read, until the batch in flight is complete. */
let onProgress: (() => void) | null = null;

function openStream(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    sockets.push(socket);
    let head = true;
    let tail: Buffer = Buffer.alloc(0);
    socket.setNoDelay(true);
    socket.on('error', reject);
    socket.once('connect', () =>
      socket.write('GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n'),
    );
    socket.on('data', (chunk: Buffer) => {
      let data: Buffer = tail.length === 0 ? chunk : Buffer.concat([tail, chunk]);
      if (head) {
        const end = data.indexOf(HEAD_END);
        if (end === -1) {
          tail = data;
          return;
        }
        const status = data.toString('latin1', 9, 12);
        if (status !== '200') {
          reject(new Error(`GET /events answered ${status}`));
          return;
        }
        head = false;
        data = data.subarray(end + 4);
        resolve();
      }
      let at = data.indexOf(MARKER);
      let last = 0;
      while (at !== -1) {
        delivered++;
        last = at + MARKER.length;
        at = data.indexOf(MARKER, last);
      }
      // Keep the last few bytes: a marker may be split across two reads.
      tail = Buffer.from(data.subarray(Math.max(last, data.length - (MARKER.length - 1))));
      onProgress?.();
    });
  });
}

const BROADCAST = 'GET /broadcast HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

/** One keep-alive connection for `GET /broadcast`; each answer's body is the subscriber count. */
function broadcaster(): {
  send: (count?: number) => void;
  answers: () => number;
  socket: net.Socket;
} {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  let answered = 0;
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    for (;;) {
      const end = pending.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = /content-length:\s*(\d+)/i.exec(pending.slice(0, end));
      if (length === null)
        throw new Error(`a /broadcast answer without Content-Length: ${pending.slice(0, end)}`);
      const total = end + 4 + Number(length[1]);
      if (pending.length < total) return;
      pending = pending.slice(total);
      answered++;
      onProgress?.();
    }
  });
  return {
    // COUNT requests in one write: pipelined, they reach the server in one read.
    send: (count = 1) => socket.write(count === 1 ? BROADCAST : BROADCAST.repeat(count)),
    answers: () => answered,
    socket,
  };
}

// Open in batches so the accept queue never overflows.
for (let i = 0; i < clients; i += 100) {
  const batch = [];
  for (let j = i; j < Math.min(clients, i + 100); j++) batch.push(openStream());
  await Promise.all(batch);
}
const trigger = broadcaster();
await new Promise((resolve) => trigger.socket.once('connect', resolve));
process.stdout.write(`READY ${clients}\n`);

let sent = 0;
/** Broadcasts for `ms`, broadcast n+WINDOW only once every client has event n. */
function pump(ms: number): Promise<void> {
  const started = performance.now();
  return new Promise<void>((resolve) => {
    const step = () => {
      if (performance.now() - started >= ms) {
        resolve();
        return;
      }
      while (sent < WINDOW || delivered >= (sent - WINDOW + 1) * clients) {
        trigger.send();
        sent++;
      }
      setImmediate(step);
    };
    step();
  });
}

/** Lockstep: `count` batches of `size` pipelined broadcasts, each complete before the next. */
async function lockstep(size: number, count: number): Promise<void> {
  for (let b = 0; b < count; b++) {
    sent += size;
    const events = sent * clients;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        onProgress = null;
        reject(
          new Error(
            `batch ${b + 1}: ${delivered} of ${events} events and ${trigger.answers()} of ${sent} answers after ${BATCH_LIMIT_MS} ms`,
          ),
        );
      }, BATCH_LIMIT_MS);
      onProgress = () => {
        if (delivered < events || trigger.answers() < sent) return;
        onProgress = null;
        clearTimeout(timer);
        resolve();
      };
      trigger.send(size);
    });
  }
}

let warmUp: () => Promise<void>;
let load: () => Promise<void>;
if (isLockstep) {
  if (!Number.isInteger(batch) || batch < 1 || !Number.isInteger(batches) || batches < 1)
    throw new Error(`--lockstep needs BATCH and BATCHES, whole numbers >= 1: ${args.join(' ')}`);
  warmUp = () => lockstep(batch, warmupBatches);
  load = () => lockstep(batch, batches);
} else {
  warmUp = () => pump(warmupMs);
  load = () => pump(durationMs);
}
await warmUp();
process.stdout.write('MEASURE\n');
// Lockstep: the measured part starts when the runner has read its counters and writes a line.
if (isLockstep) await new Promise((resolve) => process.stdin.once('data', resolve));
const fromDelivered = delivered;
const fromSent = sent;
const started = performance.now();
await load();
const seconds = (performance.now() - started) / 1000;
const open = sockets.filter((s) => !s.destroyed).length;
const measured = delivered - fromDelivered;
process.stdout.write(
  `DONE ${JSON.stringify({ delivered: measured, broadcasts: sent - fromSent, total: delivered, totalBroadcasts: sent, answered: trigger.answers(), seconds, eventsPerSec: measured / seconds, open })}\n`,
);
process.stdin.resume();
process.stdin.once('end', () => process.exit(0));
process.stdin.once('close', () => process.exit(0));
