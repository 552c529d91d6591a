/** Timeouts per category, as published at /_bbws/metrics/timeouts. */
// A type alias, not an interface, so it is assignable to Record<string, number>.
export type TimeoutCounts = {
  readonly 'timeouts.header': number;
  readonly 'timeouts.body': number;
  readonly 'timeouts.handler': number;
};

/** Mutable tallies of the timeouts a server answered (408 header, 408 body, 504 handler). */
export class TimeoutCounters {
  header = 0;
  body = 0;
  handler = 0;

  /** A snapshot in the seed's metric names. */
  snapshot(): TimeoutCounts {
    return { 'timeouts.header': this.header, 'timeouts.body': this.body, 'timeouts.handler': this.handler };
  }
}
