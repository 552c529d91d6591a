/** Timeouts per category, as published at /_bbws/metrics/timeouts. */
// A type alias, not an interface, so it is assignable to Record<string, number>.
export type TimeoutCounts = {
  readonly 'timeouts.header': number;
  readonly 'timeouts.body': number;
  readonly 'timeouts.handler': number;
  readonly 'timeouts.send': number;
  readonly 'timeouts.slot': number;
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
