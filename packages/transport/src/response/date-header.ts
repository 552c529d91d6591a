let cached = '';
let cachedSecond = -1;

/**
 * The `Date: ...\r\n` line, formatted at most once per second (RFC 9110 §6.6.1 needs only
 * second resolution; formatting it per request is measurable). Hot.
 * @param now the current time in ms, when the caller already read the clock
 */
export function dateLine(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cached = `Date: ${new Date(now).toUTCString()}\r\n`;
  }
  return cached;
}
