import { LOWER } from './char-tables.js';
import { latin1 } from './latin1.js';

/**
 * Header names browsers, proxies and load generators send most, lower-case. A name in this
 * list is matched in place (case-insensitively) and returned as the same interned string,
 * so the common request allocates no name strings and later lookups compare by identity.
 */
const COMMON_NAMES = [
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'content-type',
  'expect',
  'accept',
  'accept-encoding',
  'accept-language',
  'user-agent',
  'cookie',
  'referer',
  'origin',
  'authorization',
  'cache-control',
  'pragma',
  'if-none-match',
  'if-modified-since',
  'range',
  'upgrade',
  'upgrade-insecure-requests',
  'dnt',
  'te',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-request-id',
  'sec-fetch-site',
  'sec-fetch-mode',
  'sec-fetch-dest',
  'sec-fetch-user',
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'keep-alive',
  'last-event-id',
];

interface Candidate {
  readonly name: string;
  readonly bytes: Uint8Array;
}

const byLength: Candidate[][] = [];
for (const name of COMMON_NAMES) {
  const list = byLength[name.length] ?? [];
  list.push({ name, bytes: Buffer.from(name, 'latin1') });
  byLength[name.length] = list;
}

/** The interned `host` name; the parser compares names to these by identity. */
export const HOST_NAME = 'host';
export const CONNECTION_NAME = 'connection';
export const CONTENT_LENGTH_NAME = 'content-length';
export const TRANSFER_ENCODING_NAME = 'transfer-encoding';
export const EXPECT_NAME = 'expect';

/**
 * The lower-case name of the token at `buf[start, end)`. Hot: runs once per header line.
 * `hasUpper` tells whether the bytes hold an upper-case letter (the caller saw them).
 */
export function headerName(buf: Uint8Array, start: number, end: number, hasUpper: boolean): string {
  const candidates = byLength[end - start];
  if (candidates !== undefined) {
    for (let c = 0; c < candidates.length; c++) {
      const candidate = candidates[c] as Candidate;
      const bytes = candidate.bytes;
      let i = 0;
      while (i < bytes.length && LOWER[buf[start + i] as number] === bytes[i]) i++;
      if (i === bytes.length) return candidate.name;
    }
  }
  const name = latin1(buf as Buffer, start, end);
  return hasUpper ? name.toLowerCase() : name;
}

/**
 * Whether the parser acts on a field of this (lower-case) name: Host and the framing fields.
 * Hot: runs once per header line; the length rules out most names without a comparison.
 */
export function isFramingName(name: string): boolean {
  // The first letter, then the whole name: a full comparison of two strings of one length
  // (user-agent and connection, sec-fetch-mode and content-length) is a runtime call.
  switch (name.length) {
    case 4:
      return name.charCodeAt(0) === 0x68 /* h */ && name === HOST_NAME;
    case 6:
      return name.charCodeAt(0) === 0x65 /* e */ && name === EXPECT_NAME;
    case 10:
      return name.charCodeAt(0) === 0x63 /* c */ && name === CONNECTION_NAME;
    case 14:
      return name.charCodeAt(0) === 0x63 /* c */ && name === CONTENT_LENGTH_NAME;
    case 17:
      return name.charCodeAt(0) === 0x74 /* t */ && name === TRANSFER_ENCODING_NAME;
    default:
      return false;
  }
}

/**
 * The interned name of the field line starting at `buf[start]` (a validated line: a token,
 * a colon, the value) when the parser acts on it (Host and the framing fields), else `''`.
 * Hot: runs once per header line, without knowing where the name ends. The first letter picks
 * the one or two names it may be; it is that name when a colon follows its length and its
 * bytes match case-insensitively (a token holds no colon, so the name ends there).
 */
export function framingNameAt(buf: Uint8Array, start: number): string {
  let word: string;
  switch ((buf[start] as number) | 0x20) {
    case 0x68 /* h */:
      word = HOST_NAME;
      break;
    case 0x65 /* e */:
      word = EXPECT_NAME;
      break;
    case 0x63 /* c */:
      if (buf[start + 10] === 0x3a) word = CONNECTION_NAME;
      else if (buf[start + 14] === 0x3a) word = CONTENT_LENGTH_NAME;
      else return '';
      break;
    case 0x74 /* t */:
      word = TRANSFER_ENCODING_NAME;
      break;
    default:
      return '';
  }
  if (buf[start + word.length] !== 0x3a /* : */) return '';
  for (let i = 1; i < word.length; i++) {
    if (LOWER[buf[start + i] as number] !== word.charCodeAt(i)) return '';
  }
  return word;
}
