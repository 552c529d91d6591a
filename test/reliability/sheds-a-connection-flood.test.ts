import { describe, expect, it } from 'vitest';
import { ChildServer, RssSampler } from './support/child-server.js';
import { maxOf, percentile, printFigures, tally } from './support/drill-report.js';
import { type Exchange, exchange, probe } from './support/wire-client.js';

/**
 * Drill 2 (docs/reliability.md#2-flood): 5,000 connections opened at once, each sending one
 * GET, against a server whose handler takes 20 ms and which may run 64 requests at once,
 * queue 256 sockets (2 s at most) and hold 1,000 connections.
 */
const FLOOD = 5000;
const HANDLER_DELAY_MS = 20;
const MAX_IN_FLIGHT = 64;
const QUEUE_SIZE = 256;
const QUEUE_TIMEOUT_MS = 2000;
const MAX_CONNECTIONS = 1000;
/** Every flood connection must have ended by then (it is a hang otherwise). */
const FLOOD_BOUND_MS = 30_000;
/** A 503 must come this soon after the connection was established: the queue wait plus slack. */
const REFUSAL_BAR_MS = QUEUE_TIMEOUT_MS + 1000;
const RSS_GROWTH_BAR_MIB = 150;
const PROBES_AFTER = 20;

async function flood(server: ChildServer) {
  const rss = new RssSampler(server).start();
  const started = performance.now();
  const pending: Array<Promise<Exchange>> = [];
  for (let i = 0; i < FLOOD; i++) {
    pending.push(
      exchange(server.port, `GET /flood/${i} HTTP/1.1\r\nHost: drill\r\n\r\n`, {
        untilResponses: 1,
        boundMs: FLOOD_BOUND_MS,
      }),
    );
  }
  const results = await Promise.all(pending);
  const floodMs = performance.now() - started;
  const memory = rss.stop();
  const probes: Array<number | string> = [];
  for (let i = 0; i < PROBES_AFTER; i++) probes.push(await probe(server.port, `/after/${i}`));
  const statusOf = (r: Exchange) => r.responses.find((x) => x.status >= 200)?.status;
  const ok = results.filter((r) => statusOf(r) === 200);
  const refused = results.filter((r) => statusOf(r) === 503);
  // From the TCP connect to the answer: what the server controls (SYN retries are the kernel's).
  const refusalMs = refused.map((r) => r.firstByteMs - r.connectedMs);
  const okMs = ok.map((r) => r.firstByteMs);
  return {
    results,
    refusalMs,
    probes,
    memory,
    figures: {
      connections: FLOOD,
      answered_200: ok.length,
      refused_503: refused.length,
      outcomes: tally(
        results.map((r) => `${statusOf(r) ?? 'none'}/${r.ending}${r.problem ? `/${r.problem.kind}` : ''}`),
      ),
      ms_to_503_p50: percentile(refusalMs, 50),
      ms_to_503_p99: percentile(refusalMs, 99),
      ms_to_503_max: maxOf(refusalMs),
      ms_to_200_p50: percentile(okMs, 50),
      ms_to_200_p99: percentile(okMs, 99),
      connect_ms_max: maxOf(results.map((r) => r.connectedMs)),
      flood_ms: floodMs,
      rss_growth_mib: memory.growthMiB,
      probes_after: tally(probes.map(String)),
      alive: server.isAlive,
    },
  };
}

describe.sequential('drill 2: flood', () => {
  it('ours: 5,000 connections at once end in 200 or a fast 503, RSS bounded, then normal service', {
    timeout: 90_000,
  }, async () => {
    const server = await ChildServer.start('bbws', {
      mode: 'echo',
      delayMs: HANDLER_DELAY_MS,
      limits: {
        maxInFlight: MAX_IN_FLIGHT,
        queueSize: QUEUE_SIZE,
        queueTimeoutMs: QUEUE_TIMEOUT_MS,
        maxConnections: MAX_CONNECTIONS,
      },
      server: { maxInFlightTotal: MAX_IN_FLIGHT, maxConnections: MAX_CONNECTIONS },
    });
    try {
      const result = await flood(server);
      printFigures('flood', 'ours', result.figures);
      expect(server.isAlive).toBe(true);
      const badEndings = result.results.filter(
        (r) =>
          r.problem !== null ||
          r.responses.filter((x) => x.status >= 200).length !== 1 ||
          ![200, 503].includes(r.responses.find((x) => x.status >= 200)?.status ?? 0),
      );
      expect(badEndings.length, 'connections that did not end in one well-formed 200 or 503').toBe(0);
      expect(result.figures.refused_503).toBeGreaterThan(0);
      expect(maxOf(result.refusalMs)).toBeLessThanOrEqual(REFUSAL_BAR_MS);
      expect(result.memory.growthMiB).toBeLessThan(RSS_GROWTH_BAR_MIB);
      expect(result.probes).toEqual(Array(PROBES_AFTER).fill(200));
    } finally {
      await server.kill();
    }
  });

  it('node:http (comparison): the same flood against maxConnections 1000; figures only', {
    timeout: 90_000,
  }, async () => {
    const server = await ChildServer.start('node', {
      mode: 'echo',
      delayMs: HANDLER_DELAY_MS,
      maxConnections: MAX_CONNECTIONS,
    });
    try {
      const result = await flood(server);
      printFigures('flood', 'node', result.figures);
      expect(server.isAlive).toBe(true);
      expect(result.probes).toEqual(Array(PROBES_AFTER).fill(200));
    } finally {
      await server.kill();
    }
  });
});
