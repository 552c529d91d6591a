/** How many times one process may die within {@link RESTART_WINDOW_MS} before the primary gives up. */
export const MAX_RESTARTS_PER_WINDOW = 5;
/** The window the restarts are counted in: one minute. */
export const RESTART_WINDOW_MS = 60_000;
/** The first restart waits this long; each further death in the window doubles it. */
export const FIRST_RESTART_DELAY_MS = 100;
/** The longest wait before a restart. */
export const MAX_RESTART_DELAY_MS = 5_000;

/**
 * When to restart a process that died, and when to stop trying: each death within the last
 * minute doubles the wait (100 ms, 200 ms, ... at most 5 s); the sixth death within a minute is
 * a crash loop, and the primary stops with `BBWS_ERR_CLUSTER_CRASH_LOOP` instead of restarting
 * a process that cannot stay up. One policy per process index. @see docs/processes.md
 */
export class RestartPolicy {
  /** When each death within the window happened, oldest first. */
  readonly #deaths: number[] = [];

  /** Records a death at `now`: the delay before the restart, or `null` for a crash loop. */
  onDeath(now: number): number | null {
    const deaths = this.#deaths;
    while (deaths.length > 0 && (deaths[0] as number) <= now - RESTART_WINDOW_MS) deaths.shift();
    deaths.push(now);
    if (deaths.length > MAX_RESTARTS_PER_WINDOW) return null;
    return Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (deaths.length - 1));
  }

  /** Deaths counted in the window that ends at `now`. */
  recentDeaths(now: number): number {
    return this.#deaths.filter((at) => at > now - RESTART_WINDOW_MS).length;
  }
}
