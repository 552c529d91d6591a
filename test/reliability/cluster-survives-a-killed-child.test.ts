import { describe, expect, it } from 'vitest';
import { ChildServer } from './support/child-server.js';
import { printFigures, tally } from './support/drill-report.js';
import { KeptAliveClient } from './support/wire-client.js';

/**
 * Drill "a killed child" (docs/reliability.md#a-killed-child-processes-2): `processes: 2`
 * (test/reliability/support/cluster-server.mjs), 16 clients each keep a kept-alive connection
 * busy with sequential `GET /work` (5 ms of work; the answer names the child's index and pid).
 * After 1.5 s child 2 gets SIGKILL; the load goes on until 1.5 s after the primary reports the
 * replacement ready; then 8 requests on fresh connections show both children answer; then the
 * primary gets SIGTERM and every child prints how many requests reached its handler.
 *
 * A logical request is retried on a new connection when its connection fails; what a failure
 * counts as depends on which child had accepted the connection (known from its earlier answers):
 * - on the killed child: in flight when it died, may fail, retried (counted, allowed);
 * - on a connection no answer came on yet: the child is unknown; retried (counted, allowed);
 * - on the surviving child: lost. The drill requires none, and the survivor's handled count
 *   (printed at its exit) equal to the answers that came from it: nothing it accepted vanished.
 * Every logical request must end answered (at most 5 attempts).
 */
const CLIENTS = 16;
const HANDLER_DELAY_MS = 5;
const LOAD_BEFORE_KILL_MS = 1500;
const LOAD_AFTER_RESTART_MS = 1500;
const RESTART_BOUND_MS = 15_000;
const REQUEST_BOUND_MS = 5000;
const MAX_ATTEMPTS = 5;
const GET = 'GET /work HTTP/1.1\r\nHost: drill\r\n\r\n';

interface Count {
  sent: number;
  answered: number;
  attempts: number;
  failedOnKilled: number;
  failedUnattributed: number;
  lostOnSurvivor: string[];
  unanswered: number;
  byPid: Map<number, number>;
}

interface Phase {
  killedPid: number;
  survivorPid: number;
  isStopping: boolean;
}

async function client(port: number, count: Count, phase: Phase): Promise<void> {
  let connection: KeptAliveClient | null = null;
  let connectionPid: number | null = null;
  try {
    while (!phase.isStopping) {
      count.sent++;
      let isAnswered = false;
      for (let attempt = 0; attempt < MAX_ATTEMPTS && !isAnswered; attempt++) {
        if (connection === null || !connection.isReusable) {
          connection?.close();
          connectionPid = null;
          try {
            connection = await KeptAliveClient.connect(port, REQUEST_BOUND_MS);
          } catch {
            connection = null;
            count.failedUnattributed++;
            continue;
          }
        }
        count.attempts++;
        const outcome = await connection.request(GET, REQUEST_BOUND_MS);
        if (outcome.kind === 'response' && outcome.response.status === 200) {
          const pid = Number(outcome.response.body.toString('latin1').split(' ')[1]);
          connectionPid = pid;
          count.byPid.set(pid, (count.byPid.get(pid) ?? 0) + 1);
          count.answered++;
          isAnswered = true;
          continue;
        }
        const kind =
          outcome.kind === 'response'
            ? `status:${outcome.response.status}`
            : outcome.kind === 'ended'
              ? `ended:${outcome.partialBytes}`
              : outcome.kind;
        if (connectionPid === phase.killedPid) count.failedOnKilled++;
        else if (connectionPid === null) count.failedUnattributed++;
        else count.lostOnSurvivor.push(kind);
        connection.close();
        connection = null;
      }
      if (!isAnswered) count.unanswered++;
    }
  } finally {
    connection?.close();
  }
}

function jsonLines(server: ChildServer): Array<Record<string, unknown>> {
  return server.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

async function freshGet(port: number): Promise<string> {
  const connection = await KeptAliveClient.connect(port, REQUEST_BOUND_MS);
  try {
    const outcome = await connection.request(GET, REQUEST_BOUND_MS);
    return outcome.kind === 'response' ? outcome.response.body.toString('latin1') : outcome.kind;
  } finally {
    connection.close();
  }
}

describe.sequential('drill: a killed child (processes: 2)', () => {
  it('the primary restarts it; the survivor loses nothing; every request is answered', {
    timeout: 90_000,
  }, async () => {
    const server = await ChildServer.start('cluster', { processes: 2, handlerDelayMs: HANDLER_DELAY_MS });
    try {
      // The primary prints its children right after the port, maybe in a later chunk.
      for (let waited = 0; waited < 5000 && !jsonLines(server).some((l) => 'children' in l); waited += 25) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const children = jsonLines(server).find((line) => 'children' in line)?.children as Array<{
        index: number;
        pid: number;
      }>;
      const survivorPid = children.find((c) => c.index === 1)?.pid ?? -1;
      const killedPid = children.find((c) => c.index === 2)?.pid ?? -1;
      const count: Count = {
        sent: 0,
        answered: 0,
        attempts: 0,
        failedOnKilled: 0,
        failedUnattributed: 0,
        lostOnSurvivor: [],
        unanswered: 0,
        byPid: new Map(),
      };
      const phase: Phase = { killedPid, survivorPid, isStopping: false };
      const clients = Array.from({ length: CLIENTS }, () => client(server.port, count, phase));
      await new Promise((resolve) => setTimeout(resolve, LOAD_BEFORE_KILL_MS));
      const answeredBeforeKill = count.answered;
      const killedAt = performance.now();
      process.kill(killedPid, 'SIGKILL');
      let restartedPid = -1;
      for (let waited = 0; waited < RESTART_BOUND_MS && restartedPid === -1; waited += 25) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        for (const line of jsonLines(server)) {
          const match = /^process 2 \(pid (\d+)\) ready$/.exec(String(line.msg ?? ''));
          if (match !== null && Number(match[1]) !== killedPid) restartedPid = Number(match[1]);
        }
      }
      const restartMs = performance.now() - killedAt;
      await new Promise((resolve) => setTimeout(resolve, LOAD_AFTER_RESTART_MS));
      phase.isStopping = true;
      await Promise.all(clients);
      const fresh: string[] = [];
      for (let i = 0; i < 8; i++) fresh.push(await freshGet(server.port));
      const signalledAt = performance.now();
      server.signal('SIGTERM');
      const exit = await Promise.race([server.exited, new Promise<null>((r) => setTimeout(r, 20_000, null))]);
      const exitMs = performance.now() - signalledAt;
      const handled = new Map<number, number>();
      for (const line of jsonLines(server)) {
        if (typeof line.handled === 'number') handled.set(Number(line.pid), line.handled);
      }
      // The 8 fresh requests reached a handler too.
      const freshBy = (pid: number) => fresh.filter((answer) => answer.endsWith(` ${pid}`)).length;
      const survivorAnswers = (count.byPid.get(survivorPid) ?? 0) + freshBy(survivorPid);
      const restartedAnswers = (count.byPid.get(restartedPid) ?? 0) + freshBy(restartedPid);
      printFigures('cluster-kill-child', 'ours', {
        clients: CLIENTS,
        sent: count.sent,
        answered: count.answered,
        unanswered: count.unanswered,
        attempts: count.attempts,
        answered_before_kill: answeredBeforeKill,
        answered_by_survivor: count.byPid.get(survivorPid) ?? 0,
        answered_by_killed: count.byPid.get(killedPid) ?? 0,
        answered_by_restarted: count.byPid.get(restartedPid) ?? 0,
        failed_on_killed_child_retried: count.failedOnKilled,
        failed_unattributed_retried: count.failedUnattributed,
        lost_on_survivor: count.lostOnSurvivor.length,
        lost_kinds: tally(count.lostOnSurvivor),
        restart_ready_ms: restartMs,
        survivor_handled: handled.get(survivorPid) ?? Number.NaN,
        survivor_handled_not_answered: (handled.get(survivorPid) ?? Number.NaN) - survivorAnswers,
        fresh_answered_by: tally(fresh.map((answer) => answer.split(' ')[0] ?? answer)),
        exit: exit === null ? 'still_running' : `${exit.code ?? exit.signal}`,
        exit_after_sigterm_ms: exitMs,
      });
      expect(restartedPid).toBeGreaterThan(0);
      expect(count.byPid.get(killedPid) ?? 0).toBeGreaterThan(0);
      expect(count.lostOnSurvivor).toEqual([]);
      expect(count.unanswered).toBe(0);
      expect(count.answered).toBe(count.sent);
      expect(handled.get(survivorPid)).toBe(survivorAnswers);
      expect(handled.get(restartedPid)).toBe(restartedAnswers);
      // Round robin after the restart: fresh connections reach both children.
      expect(freshBy(survivorPid)).toBeGreaterThan(0);
      expect(freshBy(restartedPid)).toBeGreaterThan(0);
      expect(exit?.code).toBe(0);
    } finally {
      await server.kill();
    }
  });
});
