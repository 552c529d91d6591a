import type { Endpoint } from '@bbws/router';

/** Timeouts per category, as published at /_bbws/metrics/timeouts. */
// A type alias, not an interface, so it is assignable to Record<string, number>.
export type TimeoutCounts = {
  readonly 'timeouts.header': number;
  readonly 'timeouts.body': number;
  readonly 'timeouts.handler': number;
  readonly 'timeouts.send': number;
  readonly 'timeouts.slot': number;
};

/** What timed out: the phase whose deadline passed. */
export type TimeoutKind = 'header' | 'body' | 'handler' | 'send' | 'slot';

/** One timeout the transport enforced and counted. @see docs/transport.md */
export interface TimeoutEvent {
  readonly kind: TimeoutKind;
  /** The answer: 408 (header, body), 504 (handler), 503 (slot); `null` when the connection was closed without one (send). */
  readonly status: 408 | 503 | 504 | null;
  /** Which limit, in the config's words. */
  readonly reason: string;
  readonly endpoint: Endpoint;
  readonly remoteAddress: string;
}

const TIMEOUT_STATUS: Readonly<Record<TimeoutKind, TimeoutEvent['status']>> = {
  header: 408,
  body: 408,
  handler: 504,
  send: null,
  slot: 503,
};

const TIMEOUT_REASON: Readonly<Record<TimeoutKind, string>> = {
  header: 'headers not complete within header_timeout',
  body: 'body slower than body_min_rate_bytes_per_sec or idle past body_idle_timeout',
  handler: 'handler did not answer within handler_timeout',
  send: 'client stopped reading the response for send_timeout; connection closed',
  slot: 'waited past connection_queue_timeout for a request slot',
};

/**
 * Mutable tallies of the timeouts a server enforced: 408 header, 408 body (rate or idle), 504
 * handler, a response the client stopped reading (closed), a request that waited too long for
 * a slot (503).
 */
export class TimeoutCounters {
  header = 0;
  body = 0;
  handler = 0;
  send = 0;
  slot = 0;
  /** Told about every timeout counted (the app logs them at its `timeout` level). */
  readonly #onTimeout: ((event: TimeoutEvent) => void) | null;

  constructor(onTimeout: ((event: TimeoutEvent) => void) | null = null) {
    this.#onTimeout = onTimeout;
  }

  /** Counts one timeout of `kind` and tells the observer, if any. */
  count(kind: TimeoutKind, endpoint: Endpoint, remoteAddress: string): void {
    this[kind]++;
    const onTimeout = this.#onTimeout;
    if (onTimeout === null) return;
    onTimeout({ kind, status: TIMEOUT_STATUS[kind], reason: TIMEOUT_REASON[kind], endpoint, remoteAddress });
  }

  /** A snapshot in the seed's metric names (the last two are ours). */
  snapshot(): TimeoutCounts {
    return {
      'timeouts.header': this.header,
      'timeouts.body': this.body,
      'timeouts.handler': this.handler,
      'timeouts.send': this.send,
      'timeouts.slot': this.slot,
    };
  }
}
