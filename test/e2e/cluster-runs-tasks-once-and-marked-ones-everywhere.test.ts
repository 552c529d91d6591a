import { describe, expect, it } from 'vitest';
import { ChildServer } from '../reliability/support/child-server.js';

/** The JSON lines a child printed that parse and have `key`. */
function linesWith(server: ChildServer, key: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of server.lines) {
    if (!line.startsWith('{')) continue;
    const parsed = JSON.parse(line) as Record<string, unknown>;
    if (key in parsed) out.push(parsed);
  }
  return out;
}

async function waitFor(condition: () => boolean, boundMs: number): Promise<boolean> {
  for (let waited = 0; waited < boundMs; waited += 50) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('processes: 3 (node:cluster)', () => {
  it('builds the app in the children only, runs a task in process 1 only and an everyProcess task in each', {
    timeout: 60_000,
  }, async () => {
    const server = await ChildServer.start('cluster', { processes: 3 });
    try {
      // The primary prints its children right after the port, maybe in a later chunk.
      expect(await waitFor(() => linesWith(server, 'children').length > 0, 5000)).toBe(true);
      const children = linesWith(server, 'children')[0]?.children as Array<{ index: number; pid: number }>;
      expect(children.map((c) => c.index)).toEqual([1, 2, 3]);
      const childPids = children.map((c) => c.pid);
      expect(new Set([...childPids, server.pid]).size).toBe(4);
      // Every child is ready before the primary prints the port, and runs its tasks at start.
      expect(await waitFor(() => linesWith(server, 'task').length >= 4, 5000)).toBe(true);
      const tasks = linesWith(server, 'task');
      expect(tasks.filter((t) => t.task === 'once').map((t) => [t.index, t.pid])).toEqual([
        [1, childPids[0]],
      ]);
      expect(
        tasks
          .filter((t) => t.task === 'every')
          .map((t) => t.index)
          .sort(),
      ).toEqual([1, 2, 3]);
      // The primary built no controller; each child built its own.
      expect(
        linesWith(server, 'constructed')
          .map((c) => c.constructed)
          .sort(),
      ).toEqual([1, 2, 3]);
      // Round robin: fresh connections go to every child in turn.
      const answeredBy = new Set<string>();
      for (let i = 0; i < 9; i++) {
        const res = await fetch(`http://127.0.0.1:${server.port}/work`, { headers: { connection: 'close' } });
        expect(res.status).toBe(200);
        answeredBy.add(await res.text());
      }
      expect([...answeredBy].sort()).toEqual(children.map((c) => `${c.index} ${c.pid}`).sort());
      // Each child answers its own /readyz.
      for (let i = 0; i < 3; i++) {
        const ready = await fetch(`http://127.0.0.1:${server.port}/readyz`, {
          headers: { connection: 'close' },
        });
        expect(ready.status).toBe(200);
      }
      server.signal('SIGTERM');
      const exit = await Promise.race([server.exited, new Promise<null>((r) => setTimeout(r, 20_000, null))]);
      expect(exit?.code).toBe(0);
      // The task lines came before: each child printed its exit line, and only children did.
      expect(
        linesWith(server, 'handled')
          .map((h) => h.index)
          .sort(),
      ).toEqual([1, 2, 3]);
    } finally {
      await server.kill();
    }
  });
});
