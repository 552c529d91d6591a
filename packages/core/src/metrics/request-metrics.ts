/** Upper bounds (seconds) of the latency histogram buckets. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Request counts by method and status, and a latency histogram, in Prometheus text format
 * (exposition format 0.0.4). Opt-in: nothing is measured until `exposePrometheusMetrics`.
 * @see docs/metrics.md
 */
export class RequestMetrics {
  readonly #counts = new Map<string, number>();
  readonly #bucketCounts = new Array<number>(BUCKETS.length).fill(0);
  #sumSeconds = 0;
  #count = 0;

  /** Records one answered request. */
  observe(method: string, status: number, seconds: number): void {
    const key = `${method} ${status}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    for (let i = 0; i < BUCKETS.length; i++)
      if (seconds <= (BUCKETS[i] as number)) (this.#bucketCounts[i] as number)++;
    this.#sumSeconds += seconds;
    this.#count++;
  }

  /** The metrics as Prometheus text. */
  render(timeouts: Readonly<Record<string, number>>): string {
    let out = '# HELP bbws_requests_total Requests answered, by method and status.\n';
    out += '# TYPE bbws_requests_total counter\n';
    for (const [key, value] of this.#counts) {
      const [method, status] = key.split(' ');
      out += `bbws_requests_total{method="${method}",status="${status}"} ${value}\n`;
    }
    out +=
      '# HELP bbws_request_duration_seconds Time from routing to the response being handed to the socket.\n';
    out += '# TYPE bbws_request_duration_seconds histogram\n';
    for (let i = 0; i < BUCKETS.length; i++) {
      out += `bbws_request_duration_seconds_bucket{le="${BUCKETS[i]}"} ${this.#bucketCounts[i]}\n`;
    }
    out += `bbws_request_duration_seconds_bucket{le="+Inf"} ${this.#count}\n`;
    out += `bbws_request_duration_seconds_sum ${this.#sumSeconds}\n`;
    out += `bbws_request_duration_seconds_count ${this.#count}\n`;
    out += '# HELP bbws_timeouts_total Timeouts by category (header, body, handler).\n';
    out += '# TYPE bbws_timeouts_total counter\n';
    for (const [key, value] of Object.entries(timeouts)) {
      out += `bbws_timeouts_total{category="${key.replace(/^timeouts\./, '')}"} ${value}\n`;
    }
    return out;
  }
}
