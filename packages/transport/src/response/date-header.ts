let cached = '';
let cachedSecond = -1;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The `Date: ...\r\n` line, formatted at most once per second (RFC 9110 section 6.6.1 needs
 * only second resolution; formatting it per request is measurable). Hot.
 *
 * Formatted here rather than by `Date#toUTCString`, whose first call costs about 0.7 ms (V8
 * sets up its date cache), in every process's first answer. The same IMF-fixdate (RFC 9110
 * section 5.6.7) for years 1000-9999: `date-line-matches-to-utc-string.test.ts`.
 * @param now the current time in ms, when the caller already read the clock
 */
export function dateLine(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cached = `Date: ${imfFixdate(new Date(second * 1000))}\r\n`;
  }
  return cached;
}

/** `Sun, 06 Nov 1994 08:49:37 GMT` */
export function imfFixdate(date: Date): string {
  return `${DAYS[date.getUTCDay()]}, ${two(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} GMT`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
