import { describe, expect, it } from 'vitest';
import { type BusyCount, busyClient, handledIn, newBusyCount } from './support/busy-client.js';
import { ChildServer, type EntryKind } from './support/child-server.js';
import { printFigures, tally } from './support/drill-report.js';
import { probe } from './support/wire-client.js';

/**
 * Drill "drain delay" (docs/reliability.md#sigterm-with-a-drain-delay): `drain_delay: 1.5`. 24 clients keep
 * a kept-alive connection busy with sequential GETs that take 20 ms (reconnecting when told
 * `Connection: close`); a prober opens a fresh connection to `/readyz` every 20 ms, as a load
 * balancer's health check does. After 2 s the server gets SIGTERM. Run against one process
 * (the quickstart, `/hello`) and against `processes: 2` (the primary gets the signal and
 * forwards it; `/work`).
 *
 * What must hold: `/readyz` answers 503 before any connection is refused; no connection is
 * refused before the delay has passed (the listener keeps accepting); requests answered during
 * the delay carry `Connection: close`; every request ends answered, or refused before the
 * server read it (connect refused, or closed with no byte of an answer; the handled count
 * printed at exit equals the answered count, so none of those reached a handler); 0 lost; the
 * process exits 0 after the delay.
 */
const CLIENTS = 24;
const HANDLER_DELAY_MS = 20;
const DRAIN_DELAY_S = 1.5;
const LOAD_BEFORE_STOP_MS = 2000;
const REQUEST_BOUND_MS = 5000;
const PROBE_EVERY_MS = 20;
const EXIT_BOUND_MS = 20_000;

interface Count extends BusyCount {
  answeredAfterSignal: number;
  answeredAfterSignalWithClose: number;
  firstRefusedMs: number;
}

interface Clock {
  /** performance.now() of the SIGTERM, or NaN before it. */
  signalledAt: number;
  isDone: boolean;
}

function drainClient(port: number, path: string, count: Count, clock: Clock): Promise<void> {
  return busyClient(count, {
    port,
    request: `GET ${path} HTTP/1.1\r\nHost: drill\r\n\r\n`,
    boundMs: REQUEST_BOUND_MS,
    keepGoing: () => !clock.isDone,
    onAnswered: (response) => {
      if (Number.isNaN(clock.signalledAt)) return;
      count.answeredAfterSignal++;
      if (response.isClose) count.answeredAfterSignalWithClose++;
    },
    onRefused: () => {
      const at = performance.now() - clock.signalledAt;
      if (!(at >= count.firstRefusedMs)) count.firstRefusedMs = at;
    },
  });
}

/** `/readyz` on a fresh connection every 20 ms: (ms since SIGTERM, status or how it failed). */
async function prober(port: number, clock: Clock, seen: Array<[number, number | string]>): Promise<void> {
  while (!clock.isDone) {
    const result = await probe(port, '/readyz', 2000);
    seen.push([performance.now() - clock.signalledAt, result]);
    if (result === 'refused') return;
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
  }
}

interface Target {
  readonly kind: EntryKind;
  readonly spec: object;
  readonly path: string;
  readonly label: string;
}

const TARGETS: readonly Target[] = [
  {
    kind: 'bbws',
    label: 'one process',
    path: '/hello',
    spec: {
      mode: 'app',
      countHandled: true,
      handlerDelayMs: HANDLER_DELAY_MS,
      config: { drain_delay: DRAIN_DELAY_S },
    },
  },
  {
    kind: 'cluster',
    label: 'processes: 2',
    path: '/work',
    spec: { processes: 2, drainDelay: DRAIN_DELAY_S, handlerDelayMs: HANDLER_DELAY_MS },
  },
];

describe.sequential('drill: SIGTERM under load with a drain delay', () => {
  for (const target of TARGETS) {
    it(`${target.label}: unready first, served through the delay, 0 lost, exits after the drain`, {
      timeout: 60_000,
    }, async () => {
      const server = await ChildServer.start(target.kind, target.spec);
      try {
        const count: Count = {
          ...newBusyCount(),
          answeredAfterSignal: 0,
          answeredAfterSignalWithClose: 0,
          firstRefusedMs: Number.NaN,
        };
        const clock: Clock = { signalledAt: Number.NaN, isDone: false };
        const probes: Array<[number, number | string]> = [];
        const clients = Array.from({ length: CLIENTS }, () =>
          drainClient(server.port, target.path, count, clock),
        );
        const probing = prober(server.port, clock, probes);
        await new Promise((resolve) => setTimeout(resolve, LOAD_BEFORE_STOP_MS));
        clock.signalledAt = performance.now();
        server.signal('SIGTERM');
        const exit = await Promise.race([
          server.exited,
          new Promise<null>((resolve) => setTimeout(resolve, EXIT_BOUND_MS, null)),
        ]);
        clock.isDone = true;
        await Promise.all([...clients, probing]);
        const handled = handledIn(server.lines);
        const after = probes.filter(([at]) => at >= 0);
        const first503 = after.find(([, result]) => result === 503)?.[0] ?? Number.NaN;
        const last200 = [...after].reverse().find(([, result]) => result === 200)?.[0] ?? Number.NaN;
        const probeRefused = after.find(([, result]) => result === 'refused')?.[0] ?? Number.NaN;
        const firstRefused = Math.min(
          Number.isNaN(count.firstRefusedMs) ? Number.POSITIVE_INFINITY : count.firstRefusedMs,
          Number.isNaN(probeRefused) ? Number.POSITIVE_INFINITY : probeRefused,
        );
        printFigures(`drain-delay-${target.kind === 'cluster' ? 'processes-2' : 'one-process'}`, 'ours', {
          clients: CLIENTS,
          drain_delay_ms: DRAIN_DELAY_S * 1000,
          attempted: count.attempted,
          answered: count.answered,
          answered_after_sigterm: count.answeredAfterSignal,
          answered_after_sigterm_with_close: count.answeredAfterSignalWithClose,
          refused_connect: count.connectRefused,
          refused_closed_unread: count.closedUnread,
          lost: count.lost.length,
          lost_kinds: tally(count.lost),
          server_handled: handled,
          handled_not_answered: handled - count.answered,
          readyz_first_503_ms: first503,
          readyz_last_200_ms: last200,
          readyz_probes_after_sigterm: tally(after.map(([, result]) => String(result))),
          first_refused_ms: firstRefused,
          exit: exit === null ? 'still_running' : `${exit.code ?? exit.signal}`,
          exit_after_sigterm_ms: exit === null ? Number.NaN : exit.atMs - clock.signalledAt,
        });
        expect(count.lost).toEqual([]);
        expect(count.attempted).toBe(count.answered + count.connectRefused + count.closedUnread);
        expect(handled).toBe(count.answered);
        // Unready first: a 503 was seen, before any refusal, and no 200 after it.
        expect(first503).toBeGreaterThanOrEqual(0);
        expect(first503).toBeLessThan(firstRefused);
        expect(Number.isNaN(last200) || last200 < first503).toBe(true);
        // The listener accepted through the delay, and what it served then said Connection: close.
        expect(firstRefused).toBeGreaterThanOrEqual(DRAIN_DELAY_S * 1000);
        expect(count.answeredAfterSignal).toBeGreaterThan(0);
        expect(count.answeredAfterSignalWithClose).toBeGreaterThan(0);
        expect(exit?.code).toBe(0);
        expect(exit === null ? 0 : exit.atMs - clock.signalledAt).toBeGreaterThanOrEqual(
          DRAIN_DELAY_S * 1000,
        );
      } finally {
        await server.kill();
      }
    });
  }
});
