import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * The `trust_proxy` address list: CIDRs (`10.0.0.0/8`, `::1/128`), single addresses, and the
 * shorthands below, compiled once into a `net.BlockList` (a C++ range check per lookup).
 * @see docs/proxies.md#trust_proxy
 */

/** Shorthands for common ranges. */
export const TRUST_SHORTHANDS: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
};

/** Why one entry is not a CIDR, or `null` when it is one (a shorthand, an address, or address/prefix). */
export function trustEntryProblem(entry: string): string | null {
  if (Object.hasOwn(TRUST_SHORTHANDS, entry)) return null;
  return parseCidr(entry) === null
    ? `an IP address, a CIDR (address/prefix) or one of ${Object.keys(TRUST_SHORTHANDS).join(', ')}`
    : null;
}

interface Cidr {
  readonly network: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

function parseCidr(entry: string): Cidr | null {
  const slash = entry.indexOf('/');
  const network = slash === -1 ? entry : entry.slice(0, slash);
  const family = isIPv4(network) ? 'ipv4' : isIPv6(network) ? 'ipv6' : null;
  if (family === null) return null;
  const max = family === 'ipv4' ? 32 : 128;
  if (slash === -1) return { network, prefix: max, family };
  const text = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(text)) return null;
  const prefix = Number(text);
  return prefix <= max ? { network, prefix, family } : null;
}

/** Answers kept per address; more distinct addresses than this start the cache afresh. */
const MAX_CACHED_ANSWERS = 1024;

/** A compiled `trust_proxy` list. */
export class TrustedAddresses {
  readonly #list = new BlockList();
  /**
   * Answers by address: a proxy's address repeats on every request it forwards, and a
   * BlockList check builds a SocketAddress each time. Bounded, so a client that writes
   * many addresses into a header costs a clear, not memory.
   */
  readonly #answers = new Map<string, boolean>();

  /** @param entries validated entries (see {@link trustEntryProblem}) */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      for (const cidr of TRUST_SHORTHANDS[entry] ?? [entry]) {
        const parsed = parseCidr(cidr);
        if (parsed === null)
          throw new TypeError(`trust_proxy: ${JSON.stringify(cidr)} is not ${trustEntryProblem(cidr)}`);
        this.#list.addSubnet(parsed.network, parsed.prefix, parsed.family);
      }
    }
  }

  /** Whether `address` (IPv4, IPv6, or IPv4-mapped IPv6) is in the list. */
  has(address: string): boolean {
    let answer = this.#answers.get(address);
    if (answer === undefined) {
      answer = this.#check(address);
      if (this.#answers.size >= MAX_CACHED_ANSWERS) this.#answers.clear();
      this.#answers.set(address, answer);
    }
    return answer;
  }

  #check(address: string): boolean {
    if (isIPv4(address)) return this.#list.check(address, 'ipv4');
    if (!isIPv6(address)) return false;
    // `::ffff:10.0.0.1` is the IPv4 client of a dual-stack socket: judged as IPv4, as the transport reports it.
    const mapped = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : null;
    if (mapped !== null && isIPv4(mapped)) return this.#list.check(mapped, 'ipv4');
    return this.#list.check(address, 'ipv6');
  }
}
