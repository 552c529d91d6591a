#!/usr/bin/env node
/**
 * The pulled stream path without sockets: STREAMS LimitedStreams over async generators of
 * EVENTS small SSE chunks each, pulled chunk by chunk as the transport's pump pulls them.
 * `timed` switches on the limits that need a timer (idle 10 s, a 15 s heartbeat), as a
 * listener's defaults do; `off` leaves every limit off. Prints the CPU time per chunk; under
 * callgrind, the instructions of EVENTS=100 minus those of EVENTS=0, over STREAMS*100, are the
 * instructions per pulled chunk.
 *
 *   node tools/callgrind/pull-chunks.mjs RESPONSES_DIST STREAMS EVENTS off|timed
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null node tools/callgrind/pull-chunks.mjs packages/responses/dist 200 100 timed
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist = 'packages/responses/dist', streamsArg = '200', eventsArg = '100', mode = 'off'] =
  process.argv.slice(2);
const { LimitedStream } = await import(pathToFileURL(resolve(dist, 'index.js')).href);
const STREAMS = Number(streamsArg);
const EVENTS = Number(eventsArg);
const isTimed = mode === 'timed';
const limits = {
  maxChunkBytes: 65_536,
  maxTotalBytes: 0,
  maxDurationMs: 0,
  idleTimeoutMs: isTimed ? 10_000 : 0,
};
const event = Buffer.from('data: {"type":"tick"}\n\n');
let bytes = 0;

async function* source() {
  for (let i = 0; i < EVENTS; i++) yield event;
}

async function consume(stream) {
  for (;;) {
    const result = await stream.next();
    if (result.done) return;
    bytes += result.value.byteLength;
  }
}

const started = process.cpuUsage();
const all = [];
for (let s = 0; s < STREAMS; s++) {
  all.push(consume(new LimitedStream(source(), { limits, heartbeatMs: isTimed ? 15_000 : 0 })));
}
await Promise.all(all);
const used = process.cpuUsage(started);
const chunks = STREAMS * EVENTS;
console.log(
  JSON.stringify({ chunks, bytes, usPerChunk: chunks === 0 ? 0 : (used.user + used.system) / chunks }),
);
