/** A drill's figures, printed as one greppable line: `[drill] <drill> <target> key=value ...`. */
export type Figures = Readonly<Record<string, number | string | boolean>>;

/**
 * Prints the figures before anything is asserted, so a failing drill still reports them.
 * Numbers are rounded to one decimal (MiB, ms) unless they are integers.
 */
export function printFigures(drill: string, target: 'ours' | 'node', figures: Figures): void {
  const parts = Object.entries(figures).map(([key, value]) => `${key}=${format(value)}`);
  console.log(`[drill] ${drill} ${target} ${parts.join(' ')}`);
}

function format(value: number | string | boolean): string {
  if (typeof value !== 'number') return String(value).replace(/\s+/g, '_');
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  return value.toFixed(1);
}

/** The `p`-th percentile (0-100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Largest value; NaN for none. */
export function maxOf(values: readonly number[]): number {
  let max = Number.NaN;
  for (const value of values) if (!(value <= max)) max = value;
  return max;
}

/** Smallest value; NaN for none. */
export function minOf(values: readonly number[]): number {
  let min = Number.NaN;
  for (const value of values) if (!(value >= min)) min = value;
  return min;
}

/** Counts of each distinct label, as `a:3,b:1` (sorted, for a stable line). */
export function tally(labels: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return (
    [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, count]) => `${label}:${count}`)
      .join(',') || 'none'
  );
}
