import { TransportError } from '../errors.js';

/** Where a request to one listener arrives when it is served in memory. */
export interface ListenerAddress {
  /** The listener's IP; `127.0.0.1` for one bound to all interfaces. */
  readonly ip: string;
  /** Its port: the bound one once it listens (a configured 0 becomes the real port). */
  readonly port: number;
  readonly isTls: boolean;
  /** Whether its connections start with a PROXY protocol header (`proxy_protocol`). */
  readonly proxyProtocol?: boolean;
}

/** What the table needs to know of one configured listener. */
export interface ListenerEntry<C> {
  readonly ip: string;
  readonly port: number;
  readonly isTls: boolean;
  readonly proxyProtocol?: boolean;
  /** What connections of this listener share (limits, slots, https-redirect). */
  readonly context: C;
}

interface Row<C> extends ListenerEntry<C> {
  /** The IP without brackets; `''` for all interfaces. */
  readonly bareIp: string;
  boundPort: number | null;
}

/** IPs that mean "every interface": `default` in config.json, and what `listen()` makes of it. */
const WILDCARDS = new Set(['default', '0.0.0.0', '::', '']);

/**
 * The configured listeners, to find the one an in-memory connection arrives on: by port, and
 * by IP when several listeners share that port. The same listener a socket to that address
 * would be accepted by, so an in-memory request gets its limits, TLS flag and https-redirect.
 * Small (one row per `server` entry), so a linear scan is the fastest lookup.
 */
export class ListenerTable<C> {
  readonly #rows: Row<C>[];

  constructor(entries: readonly ListenerEntry<C>[]) {
    this.#rows = entries.map((entry) => {
      const bare = unbracket(entry.ip);
      return { ...entry, bareIp: WILDCARDS.has(bare) ? '' : bare, boundPort: null };
    });
  }

  /** Whether no listener is configured (then any endpoint is served with server-wide limits). */
  get isEmpty(): boolean {
    return this.#rows.length === 0;
  }

  /** The context of the listener at `index` in configuration order. */
  contextAt(index: number): C {
    const row = this.#rows[index];
    if (row === undefined) throw new RangeError(`no listener at index ${index}`);
    return row.context;
  }

  /** Records the port `listen()` bound for the listener whose context is `context`. */
  bind(context: C, port: number): void {
    const row = this.#rows.find((r) => r.context === context);
    if (row !== undefined) row.boundPort = port;
  }

  /** The address of the listener {@link ListenerTable.find} picks. */
  addressOf(ip: string | undefined, port: number | undefined, isTls: boolean | undefined): ListenerAddress {
    const row = this.#find(ip, port, isTls);
    return {
      ip: row.bareIp === '' ? '127.0.0.1' : row.bareIp,
      port: row.boundPort ?? row.port,
      isTls: row.isTls,
      // Named only when set, so the address of an ordinary listener reads as before.
      ...(row.proxyProtocol === true ? { proxyProtocol: true } : {}),
    };
  }

  /**
   * The context of the listener for an endpoint: the one on `port` (default: the first
   * listener's), the one with `ip` when several share the port (else one on all interfaces).
   * @throws TransportError `BBWS_ERR_TRANSPORT_NO_LISTENER` when no listener has that port or
   * address, or its TLS flag is not `isTls`; the message lists the configured listeners
   */
  find(ip: string | undefined, port: number | undefined, isTls: boolean | undefined): C {
    return this.#find(ip, port, isTls).context;
  }

  #find(ip: string | undefined, port: number | undefined, isTls: boolean | undefined): Row<C> {
    const first = this.#rows[0];
    if (first === undefined) throw this.#error('the server has no listeners');
    const wanted = port ?? first.boundPort ?? first.port;
    const isOn = (r: Row<C>) => r.port === wanted || r.boundPort === wanted;
    let row = this.#rows.find(isOn);
    if (row === undefined) throw this.#error(`no listener serves port ${wanted}`);
    if (ip !== undefined && this.#rows.some((r) => r !== row && isOn(r))) {
      // Several listeners share the port: the one on that ip, else one on all interfaces.
      const bare = unbracket(ip);
      row =
        this.#rows.find((r) => isOn(r) && r.bareIp === bare) ??
        this.#rows.find((r) => isOn(r) && r.bareIp === '');
      if (row === undefined) throw this.#error(`no listener serves ${label(bare, wanted)}`);
    }
    if (isTls !== undefined && isTls !== row.isTls) {
      const what = row.isTls ? 'is a TLS listener' : 'is not a TLS listener';
      throw this.#error(`${label(row.bareIp, row.boundPort ?? row.port)} ${what}`);
    }
    return row;
  }

  #error(problem: string): TransportError {
    const listed = this.#rows
      .map((r) => `${label(r.bareIp, r.boundPort ?? r.port)}${r.isTls ? ' (TLS)' : ''}`)
      .join(', ');
    return new TransportError(
      'BBWS_ERR_TRANSPORT_NO_LISTENER',
      `${problem}; the configured listeners are: ${listed === '' ? 'none' : listed}`,
    );
  }
}

/** `127.0.0.1:5000`, `[::1]:5001`, `*:5002` (all interfaces). */
function label(bareIp: string, port: number): string {
  if (bareIp === '') return `*:${port}`;
  return bareIp.includes(':') ? `[${bareIp}]:${port}` : `${bareIp}:${port}`;
}

function unbracket(ip: string): string {
  return ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}
