/**
 * Lets `n` rounds of process.nextTick callbacks and promise jobs run: stream events travel
 * on nextTick, which vitest's fake timers leave real.
 */
export async function flushTicks(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => process.nextTick(resolve));
}
