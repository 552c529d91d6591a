import { describe, expect, it } from 'vitest';
import { ChildServer, RssSampler } from './support/child-server.js';
import { printFigures, tally } from './support/drill-report.js';
import { exchange, probe } from './support/wire-client.js';

/**
 * Drill 5 (docs/reliability.md#5-pipelining): 10,000 GETs with distinct paths in one write on
 * one connection, to a server that answers each with its target and puts no cap on requests
 * per connection (keep_alive_max_requests 0).
 */
const PIPELINED = 10_000;
const BOUND_MS = 30_000;
/** The write is 0.4 MB and the answers 1.3 MB; what is buffered is bounded by backpressure. */
const RSS_GROWTH_BAR_MIB = 64;

async function pipeline(server: ChildServer) {
  let text = '';
  for (let i = 0; i < PIPELINED; i++) text += `GET /p/${i} HTTP/1.1\r\nHost: drill\r\n\r\n`;
  const rss = new RssSampler(server, 20).start();
  const result = await exchange(server.port, Buffer.from(text, 'latin1'), {
    untilResponses: PIPELINED,
    boundMs: BOUND_MS,
  });
  const memory = rss.stop();
  let inOrder = 0;
  for (const [i, response] of result.responses.entries()) {
    if (response.status === 200 && response.body.toString('latin1') === `/p/${i}`) inOrder++;
    else break;
  }
  const probeStatus = await probe(server.port);
  return {
    result,
    inOrder,
    memory,
    probeStatus,
    figures: {
      requests: PIPELINED,
      bytes_written: text.length,
      answered: result.responses.length,
      in_order: inOrder,
      statuses: tally(result.responses.map((r) => String(r.status))),
      ending: result.ending,
      malformed: result.problem === null ? 0 : 1,
      all_answered_ms: result.endMs,
      rss_growth_mib: memory.growthMiB,
      probe_after: probeStatus,
      alive: server.isAlive,
    },
  };
}

describe.sequential('drill 5: pipelining', () => {
  it('ours: 10,000 pipelined GETs in one write are all answered, in order, with bounded memory', {
    timeout: 60_000,
  }, async () => {
    const server = await ChildServer.start('bbws', { mode: 'echo', limits: { keepAliveMaxRequests: 0 } });
    try {
      const result = await pipeline(server);
      printFigures('pipelining', 'ours', result.figures);
      expect(server.isAlive).toBe(true);
      expect(result.result.problem).toBeNull();
      expect(result.result.ending).toBe('done');
      expect(result.inOrder).toBe(PIPELINED);
      expect(result.memory.growthMiB).toBeLessThan(RSS_GROWTH_BAR_MIB);
      expect(result.probeStatus).toBe(200);
    } finally {
      await server.kill();
    }
  });

  it('node:http (comparison): the same 10,000 pipelined GETs; figures only', {
    timeout: 60_000,
  }, async () => {
    const server = await ChildServer.start('node', { mode: 'echo', maxRequestsPerSocket: 0 });
    try {
      const result = await pipeline(server);
      printFigures('pipelining', 'node', result.figures);
      expect(server.isAlive).toBe(true);
      expect(result.probeStatus).toBe(200);
    } finally {
      await server.kill();
    }
  });
});
