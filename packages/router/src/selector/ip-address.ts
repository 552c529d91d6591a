import { parseError } from '../errors.js';
import { hexValue } from '../template/percent-encoding.js';

const DOT = 46;
const COLON = 58;

/**
 * Parses the IPv4 address `selector[start, end)` (four decimal octets 0-255, no leading zeros)
 * and returns it unchanged.
 * @throws RouterError `BBWS_ERR_ROUTE_SELECTOR` pointing at the offending character.
 * @internal
 */
export function parseIpv4(selector: string, start: number, end: number): string {
  let octets = 0;
  let i = start;
  while (true) {
    const octetStart = i;
    let value = 0;
    while (i < end && isDigit(selector.charCodeAt(i))) {
      value = value * 10 + selector.charCodeAt(i) - 48;
      i++;
    }
    const length = i - octetStart;
    if (length === 0)
      throw parseError('BBWS_ERR_ROUTE_SELECTOR', selector, i, 'a decimal digit (IPv4 octet)');
    if (length > 1 && selector.charCodeAt(octetStart) === 48) {
      throw parseError(
        'BBWS_ERR_ROUTE_SELECTOR',
        selector,
        octetStart,
        'an IPv4 octet without leading zeros',
        JSON.stringify(selector.slice(octetStart, i)),
      );
    }
    if (value > 255) {
      throw parseError(
        'BBWS_ERR_ROUTE_SELECTOR',
        selector,
        octetStart,
        'an IPv4 octet from 0 to 255',
        JSON.stringify(selector.slice(octetStart, i)),
      );
    }
    octets++;
    if (octets === 4) break;
    if (i >= end || selector.charCodeAt(i) !== DOT) {
      throw parseError('BBWS_ERR_ROUTE_SELECTOR', selector, i, '"." (an IPv4 address has four octets)');
    }
    i++;
  }
  if (i !== end) throw parseError('BBWS_ERR_ROUTE_SELECTOR', selector, i, 'the end of the IPv4 address');
  return selector.slice(start, end);
}

/**
 * Parses the IPv6 address `selector[start, end)` (the text between the brackets, optionally with
 * a trailing dotted IPv4 part and a `%zone`) and returns its canonical RFC 5952 form, the form
 * Node reports in `socket.localAddress`: lower-case, no leading zeros, the longest run of two or
 * more zero groups as `::`, and IPv4-mapped addresses as `::ffff:1.2.3.4`.
 * @throws RouterError `BBWS_ERR_ROUTE_SELECTOR` pointing at the offending character.
 * @internal
 */
export function parseIpv6(selector: string, start: number, end: number): string {
  let zone = '';
  const zoneAt = selector.indexOf('%', start);
  if (zoneAt !== -1 && zoneAt < end) {
    if (zoneAt + 1 === end) throw parseError('BBWS_ERR_ROUTE_SELECTOR', selector, end, 'a zone id after "%"');
    zone = selector.slice(zoneAt, end);
    end = zoneAt;
  }
  const head: number[] = [];
  const tail: number[] = [];
  let groups = head;
  let compressed = false;
  let i = start;
  if (i === end) throw parseError('BBWS_ERR_ROUTE_SELECTOR', selector, i, 'an IPv6 address');
  if (selector.charCodeAt(i) === COLON) {
    if (selector.charCodeAt(i + 1) !== COLON || i + 1 >= end) {
      throw parseError(
        'BBWS_ERR_ROUTE_SELECTOR',
        selector,
        i + 1,
        '"::" (an IPv6 address cannot start with one ":")',
      );
    }
    compressed = true;
    groups = tail;
    i += 2;
  }
  while (i < end) {
    const groupStart = i;
    let value = 0;
    while (i < end && hexValue(selector.charCodeAt(i)) !== -1 && i - groupStart < 5) {
      value = value * 16 + hexValue(selector.charCodeAt(i));
      i++;
    }
    if (i < end && selector.charCodeAt(i) === DOT) {
      // The last 32 bits written as a dotted IPv4 address.
      const v4 = parseIpv4(selector, groupStart, end).split('.').map(Number) as [
        number,
        number,
        number,
        number,
      ];
      groups.push(v4[0] * 256 + v4[1], v4[2] * 256 + v4[3]);
      i = end;
      break;
    }
    const length = i - groupStart;
    if (length === 0)
      throw parseError('BBWS_ERR_ROUTE_SELECTOR', selector, i, 'a hexadecimal digit (IPv6 group)');
    if (length > 4) {
      throw parseError(
        'BBWS_ERR_ROUTE_SELECTOR',
        selector,
        groupStart + 4,
        'at most four hexadecimal digits per IPv6 group',
      );
    }
    groups.push(value);
    if (i === end) break;
    if (selector.charCodeAt(i) !== COLON) {
      throw parseError('BBWS_ERR_ROUTE_SELECTOR', selector, i, '":" or a hexadecimal digit (IPv6 address)');
    }
    i++;
    if (i < end && selector.charCodeAt(i) === COLON) {
      if (compressed)
        throw parseError('BBWS_ERR_ROUTE_SELECTOR', selector, i - 1, 'at most one "::" in an IPv6 address');
      compressed = true;
      groups = tail;
      i++;
    } else if (i === end) {
      throw parseError('BBWS_ERR_ROUTE_SELECTOR', selector, i, 'a hexadecimal digit after ":"');
    }
  }
  const count = head.length + tail.length;
  if (compressed ? count > 7 : count !== 8) {
    throw parseError(
      'BBWS_ERR_ROUTE_SELECTOR',
      selector,
      start,
      compressed ? 'at most seven groups around "::"' : 'eight groups of an IPv6 address (or "::")',
      JSON.stringify(selector.slice(start, end)),
    );
  }
  const words = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  return formatIpv6(words) + zone;
}

/** RFC 5952 §4 text of eight 16-bit groups; IPv4-mapped addresses keep the dotted tail (§5). */
export function formatIpv6(words: readonly number[]): string {
  if (
    words[0] === 0 &&
    words[1] === 0 &&
    words[2] === 0 &&
    words[3] === 0 &&
    words[4] === 0 &&
    words[5] === 0xffff
  ) {
    const a = words[6] as number;
    const b = words[7] as number;
    return `::ffff:${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The other spelling of an IPv4 address: `1.2.3.4` for `::ffff:1.2.3.4` and the reverse;
 * `null` for other IPv6 addresses. A dual-stack listener reports IPv4 clients' local address in
 * the mapped form, so an IPv4 selector matches both.
 * @internal
 */
export function alternativeIpForm(ip: string): string | null {
  if (ip.startsWith('::ffff:') && ip.includes('.')) return ip.slice(7);
  return ip.includes(':') ? null : `::ffff:${ip}`;
}
