/**
 * The text the callback sink receives: strings as they are, an Error's stack, an object's own
 * `toString()` when it has one, otherwise its JSON.
 */
export function formatLogMessage(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (typeof value !== 'object' || value === null) return String(value);
  if (value.toString !== Object.prototype.toString) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (error) {
    // Circular or BigInt fields: the callback still gets something readable, with the reason.
    return `${Object.prototype.toString.call(value)} (not serializable: ${(error as Error).message})`;
  }
}
