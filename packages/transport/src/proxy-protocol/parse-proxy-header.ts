import { isIPv4, isIPv6 } from 'node:net';
import { formatIpv6 } from '@bbws/router';

/**
 * The PROXY protocol header a load balancer (HAProxy `send-proxy` / `send-proxy-v2`, nginx
 * `proxy_protocol on`, AWS NLB) writes before the client's bytes, parsed from the start of a
 * connection. Version 1 is one text line (`PROXY TCP4 src dst sport dport\r\n`, at most 107
 * bytes); version 2 is a 12-byte binary signature, 4 bytes of command, family and length, then
 * the addresses and TLVs. See https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt
 * @see docs/proxies.md#proxy-protocol
 */

/** The v1 header's limit: 107 bytes, CRLF included (proxy-protocol.txt §2.1). */
export const MAX_V1_HEADER_BYTES = 107;
/** Our cap on a v2 header, TLVs included: addresses take at most 216 bytes; the rest is TLVs. */
export const MAX_V2_HEADER_BYTES = 4096;

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
const V2_FIXED_BYTES = 16;

/** More bytes are needed to read the header. */
export const PROXY_NEED_MORE = 0;
/** The header was read: see {@link ProxyHeader}. */
export const PROXY_DONE = 1;
/** The connection does not start with a valid header: see {@link ProxyHeaderFailure}. */
export const PROXY_FAILED = 2;

/** What a complete header said. */
export interface ProxyHeader {
  readonly status: typeof PROXY_DONE;
  /** Bytes the header took; what follows is the client's. */
  readonly length: number;
  /** 1 or 2. */
  readonly version: 1 | 2;
  /**
   * The client's address and port, or `null` when the header carries none to use (v2 LOCAL,
   * a health check of the proxy itself; UNSPEC family or protocol; a UNIX socket; v1
   * `UNKNOWN`): the socket's own peer is kept.
   */
  readonly source: { readonly address: string; readonly port: number } | null;
}

/** Why a connection was refused. */
export interface ProxyHeaderFailure {
  readonly status: typeof PROXY_FAILED;
  /** `missing`: the bytes are not a PROXY header at all; `malformed`: a header that breaks the spec. */
  readonly kind: 'missing' | 'malformed';
  readonly reason: string;
}

export type ProxyParseResult = typeof PROXY_NEED_MORE | ProxyHeader | ProxyHeaderFailure;

function failure(kind: ProxyHeaderFailure['kind'], reason: string): ProxyHeaderFailure {
  return { status: PROXY_FAILED, kind, reason };
}

/**
 * Reads the PROXY header at the start of `bytes` (all bytes received so far). Pure: the
 * caller keeps the bytes and calls again when more arrive. The first byte decides the version,
 * so a connection that is not proxied fails at its first bytes, not at a timeout.
 */
export function parseProxyHeader(bytes: Buffer): ProxyParseResult {
  if (bytes.length === 0) return PROXY_NEED_MORE;
  if (bytes[0] === 0x0d) {
    if (!isPrefixOf(bytes, V2_SIGNATURE)) return failure('missing', 'no PROXY protocol header');
    return bytes.length < V2_FIXED_BYTES ? PROXY_NEED_MORE : parseV2(bytes);
  }
  if (!isPrefixOf(bytes, V1_PREFIX)) return failure('missing', 'no PROXY protocol header');
  return bytes.length < V1_PREFIX.length ? PROXY_NEED_MORE : parseV1(bytes);
}

/** Whether the first bytes of `bytes` (up to the pattern's length) agree with `pattern`. */
function isPrefixOf(bytes: Buffer, pattern: Buffer): boolean {
  const n = Math.min(bytes.length, pattern.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== pattern[i]) return false;
  return true;
}

function parseV1(bytes: Buffer): ProxyParseResult {
  const scanTo = Math.min(bytes.length, MAX_V1_HEADER_BYTES);
  let end = -1;
  for (let i = V1_PREFIX.length; i < scanTo; i++) {
    const byte = bytes[i];
    if (byte === 0x0d) {
      end = i;
      break;
    }
    // Printable ASCII only: a NUL, LF or byte >= 0x80 inside the line is not a v1 header.
    if (byte === undefined || byte < 0x20 || byte > 0x7e)
      return failure('malformed', 'v1 header has a control or non-ASCII byte');
  }
  if (end === -1) {
    if (bytes.length >= MAX_V1_HEADER_BYTES) return failure('malformed', 'v1 header longer than 107 bytes');
    return PROXY_NEED_MORE;
  }
  if (end + 1 >= bytes.length)
    return end + 2 > MAX_V1_HEADER_BYTES
      ? failure('malformed', 'v1 header longer than 107 bytes')
      : PROXY_NEED_MORE;
  if (bytes[end + 1] !== 0x0a) return failure('malformed', 'v1 header: CR not followed by LF');
  const length = end + 2;
  const line = bytes.toString('latin1', V1_PREFIX.length, end);
  // §2.1: UNKNOWN may carry anything up to CRLF; the receiver ignores it and keeps the socket's address.
  if (line === 'UNKNOWN' || line.startsWith('UNKNOWN '))
    return { status: PROXY_DONE, length, version: 1, source: null };
  const parts = line.split(' ');
  if (parts.length !== 5)
    return failure(
      'malformed',
      'v1 header: expected "TCP4|TCP6 src dst sport dport" separated by single spaces',
    );
  const [family, src, dst, sport, dport] = parts as [string, string, string, string, string];
  const isValidAddress = family === 'TCP4' ? isIPv4 : family === 'TCP6' ? isIPv6 : null;
  if (isValidAddress === null)
    return failure('malformed', `v1 header: unknown protocol ${JSON.stringify(family)}`);
  if (!isValidAddress(src) || !isValidAddress(dst))
    return failure('malformed', `v1 header: an address is not ${family === 'TCP4' ? 'IPv4' : 'IPv6'}`);
  const port = portOf(sport);
  if (port < 0 || portOf(dport) < 0)
    return failure('malformed', 'v1 header: a port is not a number from 0 to 65535');
  return { status: PROXY_DONE, length, version: 1, source: { address: src, port } };
}

/** A decimal port of 1 to 5 digits up to 65535; -1 otherwise. */
function portOf(text: string): number {
  if (text.length === 0 || text.length > 5) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value <= 65_535 ? value : -1;
}

function parseV2(bytes: Buffer): ProxyParseResult {
  const versionCommand = bytes[12] as number;
  const familyProtocol = bytes[13] as number;
  const bodyLength = bytes.readUInt16BE(14);
  if (versionCommand >> 4 !== 2)
    return failure('malformed', `v2 header: version ${versionCommand >> 4}, expected 2`);
  const command = versionCommand & 0x0f;
  if (command > 1) return failure('malformed', `v2 header: unknown command ${command}`);
  const family = familyProtocol >> 4;
  const protocol = familyProtocol & 0x0f;
  if (family > 3 || protocol > 2)
    return failure(
      'malformed',
      `v2 header: unknown address family or protocol 0x${familyProtocol.toString(16)}`,
    );
  const length = V2_FIXED_BYTES + bodyLength;
  if (length > MAX_V2_HEADER_BYTES)
    return failure('malformed', `v2 header of ${length} bytes, more than ${MAX_V2_HEADER_BYTES}`);
  if (bytes.length < length) return PROXY_NEED_MORE;
  // LOCAL (the proxy's own connection, a health check): the body is skipped, the socket's peer kept.
  if (command === 0) return { status: PROXY_DONE, length, version: 2, source: null };
  // §2.2: INET is 12 address bytes, INET6 36; what follows them is TLVs, which we skip.
  if (family === 1) {
    if (bodyLength < 12) return failure('malformed', 'v2 header: IPv4 addresses need 12 bytes');
    if (protocol !== 1) return { status: PROXY_DONE, length, version: 2, source: null };
    const at = V2_FIXED_BYTES;
    const address = `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
    return { status: PROXY_DONE, length, version: 2, source: { address, port: bytes.readUInt16BE(at + 8) } };
  }
  if (family === 2) {
    if (bodyLength < 36) return failure('malformed', 'v2 header: IPv6 addresses need 36 bytes');
    if (protocol !== 1) return { status: PROXY_DONE, length, version: 2, source: null };
    const at = V2_FIXED_BYTES;
    return {
      status: PROXY_DONE,
      length,
      version: 2,
      source: { address: ipv6Text(bytes, at), port: bytes.readUInt16BE(at + 32) },
    };
  }
  // UNSPEC (family 0) or a UNIX socket (3): no IP to use; the socket's peer is kept.
  return { status: PROXY_DONE, length, version: 2, source: null };
}

/** 16 bytes as the canonical IPv6 text (RFC 5952: lower case, longest zero run as `::`), as Node reports peers. */
function ipv6Text(bytes: Buffer, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(bytes.readUInt16BE(at + i * 2));
  // An IPv4-mapped address is reported the way the transport reports such peers: as IPv4.
  if (
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff
  ) {
    return `${bytes[at + 12]}.${bytes[at + 13]}.${bytes[at + 14]}.${bytes[at + 15]}`;
  }
  return formatIpv6(groups);
}
