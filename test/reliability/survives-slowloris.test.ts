import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ChildServer, RssSampler, type ServerKind } from './support/child-server.js';
import { maxOf, minOf, percentile, printFigures, tally } from './support/drill-report.js';
import { StrictResponseParser } from './support/strict-response-parser.js';
import { KeptAliveClient, probe } from './support/wire-client.js';

/**
 * Drill 1 (docs/reliability.md#1-slowloris): 500 connections drip a request head one byte per
 * second (each one closed is replaced at once, for 20 s) while a normal client sends
 * sequential keep-alive GETs; then 10 bodies declared at 1 MB arrive at 10 B/s.
 */
const SLOW_CONNECTIONS = 500;
const DRIP_INTERVAL_MS = 1000;
const WINDOW_MS = 20_000;
const HEADER_TIMEOUT_MS = 5000;
/** How late a 408 may come: the sweep runs every 250 ms here; the rest is event-loop slack. */
const HEADER_TIMEOUT_SLACK_MS = 1000;
/** The normal client sends its next GET this long after the previous one was sent. */
const NORMAL_INTERVAL_MS = 5;
const NORMAL_P99_BAR_MS = 50;
const SLOW_BODIES = 10;
const SLOW_BODY_DECLARED = 1_000_000;
const SLOW_BODY_BYTES_PER_SEC = 10;
/** body_min_rate_bytes_per_sec judges after 1 s; 2 s more is generous for the sweep. */
const SLOW_BODY_BAR_MS = 3000;

/** The head a slow client drips: it never completes within the timeout. */
const DRIP_TEXT = `GET /hello HTTP/1.1\r\nHost: drill\r\nX-Drip: ${'a'.repeat(200)}`;
const GET_HELLO = 'GET /hello HTTP/1.1\r\nHost: drill\r\n\r\n';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one slow connection came to; times from the connect call. */
interface SlowOutcome {
  readonly statuses: readonly number[];
  readonly problem: string | null;
  readonly ending: 'closed' | 'reset' | 'timeout';
  readonly answerMs: number;
  readonly endMs: number;
}

/** Opens a connection that sends `head` one byte per interval, then `bodyPerTick` bytes per interval. */
function dripConnection(
  port: number,
  head: string,
  bodyPerTick: number,
  boundMs: number,
): Promise<SlowOutcome & { headSentMs: number }> {
  const started = performance.now();
  const parser = new StrictResponseParser();
  const statuses: number[] = [];
  let answerMs = Number.NaN;
  let headSentMs = Number.NaN;
  let sent = 0;
  let done = false;
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let ticker: NodeJS.Timeout | undefined;
    const bound = setTimeout(() => finish('timeout'), boundMs);
    function finish(ending: SlowOutcome['ending']): void {
      if (done) return;
      done = true;
      clearInterval(ticker);
      clearTimeout(bound);
      if (ending !== 'timeout') for (const r of parser.end()) statuses.push(r.status);
      socket.destroy();
      const problem = parser.problem === null ? null : `${parser.problem.kind}`;
      resolve({ statuses, problem, ending, answerMs, endMs: performance.now() - started, headSentMs });
    }
    function tick(): void {
      if (socket.destroyed || !socket.writable) return;
      if (bodyPerTick === 0 || sent < head.length) {
        // A slow head: one byte now, one byte per interval.
        socket.write(head.slice(sent, sent + 1), 'latin1');
        sent++;
        return;
      }
      socket.write('x'.repeat(bodyPerTick), 'latin1');
    }
    socket.once('connect', () => {
      if (bodyPerTick > 0) {
        // A slow body: the head at once, then the body trickles.
        socket.write(head, 'latin1');
        sent = head.length;
        headSentMs = performance.now() - started;
      } else {
        tick();
      }
      ticker = setInterval(tick, DRIP_INTERVAL_MS);
    });
    socket.on('data', (chunk: Buffer) => {
      if (Number.isNaN(answerMs)) answerMs = performance.now() - started;
      for (const r of parser.push(chunk)) statuses.push(r.status);
    });
    socket.once('end', () => finish('closed'));
    socket.once('error', () => finish('reset'));
    socket.once('close', () => finish('closed'));
  });
}

/** Sequential keep-alive GETs until `untilMs`: latencies, and every failure by kind. */
async function normalClient(
  port: number,
  untilMs: number,
): Promise<{ latencies: number[]; failures: string[] }> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let client: KeptAliveClient | null = null;
  try {
    while (performance.now() < untilMs) {
      const sentAt = performance.now();
      if (client === null || !client.isReusable) {
        client?.close();
        client = null;
        try {
          client = await KeptAliveClient.connect(port);
        } catch (error) {
          // A dead or refusing server: recorded, and tried again at the next interval.
          failures.push(`connect:${(error as NodeJS.ErrnoException).code ?? 'error'}`);
          await sleep(NORMAL_INTERVAL_MS);
          continue;
        }
      }
      const outcome = await client.request(GET_HELLO, 5000);
      if (outcome.kind === 'response' && outcome.response.status === 200) latencies.push(outcome.ms);
      else failures.push(outcome.kind === 'response' ? String(outcome.response.status) : outcome.kind);
      if (outcome.kind !== 'response') {
        client.close();
        client = null;
      }
      const wait = sentAt + NORMAL_INTERVAL_MS - performance.now();
      if (wait > 0) await sleep(wait);
    }
  } finally {
    client?.close();
  }
  return { latencies, failures };
}

/** The slowloris drill against one server: attackers and the normal client at once. */
async function slowloris(server: ChildServer) {
  const rss = new RssSampler(server).start();
  const windowEnd = performance.now() + WINDOW_MS;
  const outcomes: SlowOutcome[] = [];
  const attacker = async (): Promise<void> => {
    // Bounded: each connection lasts at least the header timeout, so at most WINDOW_MS / 5 s rounds.
    while (performance.now() < windowEnd && server.isAlive) {
      outcomes.push(await dripConnection(server.port, DRIP_TEXT, 0, HEADER_TIMEOUT_MS * 3));
    }
  };
  const attackers = Array.from({ length: SLOW_CONNECTIONS }, attacker);
  const normal = await normalClient(server.port, windowEnd);
  await Promise.all(attackers);
  const memory = rss.stop();
  const answerTimes = outcomes.filter((o) => o.statuses.length > 0).map((o) => o.answerMs);
  const isWellAnswered = (o: SlowOutcome) =>
    o.problem === null && o.ending === 'closed' && o.statuses.length === 1 && o.statuses[0] === 408;
  return {
    normal,
    outcomes,
    figures: {
      normal_gets: normal.latencies.length,
      normal_failures: normal.failures.length,
      p50_ms: percentile(normal.latencies, 50),
      p99_ms: percentile(normal.latencies, 99),
      max_ms: maxOf(normal.latencies),
      slow_conns: outcomes.length,
      slow_408_then_close: outcomes.filter(isWellAnswered).length,
      slow_outcomes: tally(
        outcomes.map(
          (o) => `${o.statuses.join('+') || 'none'}/${o.ending}${o.problem ? `/${o.problem}` : ''}`,
        ),
      ),
      answer_min_ms: minOf(answerTimes),
      answer_max_ms: maxOf(answerTimes),
      rss_growth_mib: memory.growthMiB,
      alive: server.isAlive,
    },
    isWellAnswered,
  };
}

/** Slow bodies against one server: when each is answered, and with what. */
async function slowBodies(server: ChildServer) {
  const head = `POST /hello HTTP/1.1\r\nHost: drill\r\nContent-Length: ${SLOW_BODY_DECLARED}\r\n\r\n`;
  const outcomes = await Promise.all(
    Array.from({ length: SLOW_BODIES }, () =>
      dripConnection(server.port, head, SLOW_BODY_BYTES_PER_SEC, 15_000),
    ),
  );
  const answerTimes = outcomes.map((o) => o.answerMs - o.headSentMs);
  return {
    outcomes,
    answerTimes,
    figures: {
      bodies: outcomes.length,
      statuses: tally(outcomes.map((o) => `${o.statuses.join('+') || 'none'}/${o.ending}`)),
      answer_min_ms: minOf(answerTimes),
      answer_max_ms: maxOf(answerTimes),
      alive: server.isAlive,
    },
  };
}

const SPECS: Readonly<Record<ServerKind, object>> = {
  bbws: { mode: 'app', config: { header_timeout: HEADER_TIMEOUT_MS / 1000 } },
  // node:http has no minimum body rate: requestTimeout (which must not be below
  // headersTimeout) is the nearest bound on a slow body.
  node: { headersTimeoutMs: HEADER_TIMEOUT_MS, requestTimeoutMs: HEADER_TIMEOUT_MS + 1000 },
};

describe.sequential('drill 1: slowloris', () => {
  it('ours: slow heads get 408 at header_timeout and a normal client keeps p99 < 50 ms', {
    timeout: 60_000,
  }, async () => {
    const server = await ChildServer.start('bbws', SPECS.bbws);
    try {
      const result = await slowloris(server);
      printFigures('slowloris', 'ours', result.figures);
      expect(server.isAlive).toBe(true);
      expect(result.normal.failures).toEqual([]);
      expect(result.figures.p99_ms).toBeLessThan(NORMAL_P99_BAR_MS);
      expect(result.outcomes.length).toBeGreaterThanOrEqual(SLOW_CONNECTIONS);
      expect(result.outcomes.filter((o) => !result.isWellAnswered(o))).toEqual([]);
      // Not before the timeout (the server's clock starts at accept, after our connect call).
      expect(result.figures.answer_min_ms).toBeGreaterThanOrEqual(HEADER_TIMEOUT_MS - 2);
      expect(result.figures.answer_max_ms).toBeLessThanOrEqual(HEADER_TIMEOUT_MS + HEADER_TIMEOUT_SLACK_MS);
      expect(await probe(server.port)).toBe(200);
    } finally {
      await server.kill();
    }
  });

  it('ours: a body at 10 B/s gets 408 within 3 s (body_min_rate_bytes_per_sec)', {
    timeout: 30_000,
  }, async () => {
    const server = await ChildServer.start('bbws', SPECS.bbws);
    try {
      const result = await slowBodies(server);
      printFigures('slow-body', 'ours', result.figures);
      expect(server.isAlive).toBe(true);
      for (const outcome of result.outcomes) {
        expect(outcome.statuses).toEqual([408]);
        expect(outcome.ending).toBe('closed');
      }
      expect(result.figures.answer_max_ms).toBeLessThanOrEqual(SLOW_BODY_BAR_MS);
      expect(await probe(server.port)).toBe(200);
    } finally {
      await server.kill();
    }
  });

  it('node:http (comparison): the same slowloris and slow bodies; figures only', {
    timeout: 90_000,
  }, async () => {
    const server = await ChildServer.start('node', SPECS.node);
    try {
      const loris = await slowloris(server);
      printFigures('slowloris', 'node', loris.figures);
      const bodies = await slowBodies(server);
      printFigures('slow-body', 'node', bodies.figures);
      expect(server.isAlive).toBe(true);
      expect(await probe(server.port)).toBe(200);
    } finally {
      await server.kill();
    }
  });
});
