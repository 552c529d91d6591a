import { describe, expect, it } from 'vitest';
import { busyClient, handledIn, newBusyCount } from './support/busy-client.js';
import { ChildServer, type ServerKind } from './support/child-server.js';
import { printFigures, tally } from './support/drill-report.js';

/**
 * Drill 6 (docs/reliability.md#6-graceful-stop): 32 clients keep a keep-alive connection busy
 * with sequential GETs of /hello, which takes 20 ms (reconnecting when the server closes);
 * after 2 s the server gets SIGTERM, with up to 32 requests in progress. Ours is the
 * quickstart started with `app.start()` and its default signal handling; a before-hook adds
 * the 20 ms.
 *
 * Every request a client attempts ends answered, refused before acceptance, or lost (see
 * support/busy-client.ts). Refused before acceptance includes a connection that ended before a
 * single byte of the answer: the server closed a connection it held idle, or a socket it never
 * accepted, without reading the request. That the server really did not read it is checked on
 * the server's side: the requests that reached a handler (printed by the child at exit) must
 * equal the answered ones.
 */
const CLIENTS = 32;
const HANDLER_DELAY_MS = 20;
const LOAD_BEFORE_STOP_MS = 2000;
/** The transport's stop deadline (HttpServer stopTimeoutMs default, what app.stop() uses). */
const STOP_DEADLINE_MS = 10_000;
/** Process exit after the last connection is gone. */
const EXIT_SLACK_MS = 1000;
const REQUEST_BOUND_MS = 5000;
const GET = 'GET /hello HTTP/1.1\r\nHost: drill\r\n\r\n';

async function stopUnderLoad(server: ChildServer) {
  const count = newBusyCount();
  const untilMs = performance.now() + LOAD_BEFORE_STOP_MS + STOP_DEADLINE_MS + 5000;
  const clients = Array.from({ length: CLIENTS }, () =>
    busyClient(count, {
      port: server.port,
      request: GET,
      boundMs: REQUEST_BOUND_MS,
      keepGoing: () => performance.now() < untilMs,
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, LOAD_BEFORE_STOP_MS));
  const answeredBeforeStop = count.answered;
  const signalledAt = performance.now();
  server.signal('SIGTERM');
  const exitBound = new Promise<null>((resolve) =>
    setTimeout(resolve, STOP_DEADLINE_MS + EXIT_SLACK_MS + 2000, null),
  );
  const exit = await Promise.race([server.exited, exitBound]);
  await Promise.all(clients);
  const handled = handledIn(server.lines);
  return {
    count,
    exit,
    handled,
    figures: {
      clients: CLIENTS,
      attempted: count.attempted,
      answered: count.answered,
      answered_before_sigterm: answeredBeforeStop,
      refused_connect: count.connectRefused,
      refused_closed_unread: count.closedUnread,
      lost: count.lost.length,
      lost_kinds: tally(count.lost),
      server_handled: handled,
      handled_not_answered: handled - count.answered,
      exit: exit === null ? 'still_running' : `${exit.code ?? exit.signal}`,
      exit_after_sigterm_ms: exit === null ? Number.NaN : exit.atMs - signalledAt,
    },
  };
}

const SPECS: Readonly<Record<ServerKind, object>> = {
  bbws: { mode: 'app', countHandled: true, handlerDelayMs: HANDLER_DELAY_MS },
  node: { countHandled: true, delayMs: HANDLER_DELAY_MS, stopTimeoutMs: STOP_DEADLINE_MS },
};

describe.sequential('drill 6: graceful stop under load', () => {
  it('ours: SIGTERM answers every accepted request and exits within the stop deadline', {
    timeout: 60_000,
  }, async () => {
    const server = await ChildServer.start('bbws', SPECS.bbws);
    try {
      const result = await stopUnderLoad(server);
      printFigures('graceful-stop', 'ours', result.figures);
      expect(result.count.answered).toBeGreaterThan(0);
      expect(result.count.lost).toEqual([]);
      expect(result.count.attempted).toBe(
        result.count.answered + result.count.connectRefused + result.count.closedUnread,
      );
      expect(result.handled).toBe(result.count.answered);
      expect(result.exit?.code).toBe(0);
      expect(result.figures.exit_after_sigterm_ms).toBeLessThanOrEqual(STOP_DEADLINE_MS + EXIT_SLACK_MS);
    } finally {
      await server.kill();
    }
  });

  it('node:http (comparison): the same load and SIGTERM (server.close()); figures only', {
    timeout: 60_000,
  }, async () => {
    const server = await ChildServer.start('node', SPECS.node);
    try {
      const result = await stopUnderLoad(server);
      printFigures('graceful-stop', 'node', result.figures);
      expect(result.count.answered).toBeGreaterThan(0);
    } finally {
      await server.kill();
    }
  });
});
