import { MIME_TYPE } from '@bbws/responses';
import { type Endpoint, parseSelector, type Selector } from '@bbws/router';
import type { ResponseSink } from '@bbws/transport';
import { bindsTo } from '../app/error-pages.js';
import type { HealthConfig } from '../cluster/cluster-config.js';
import { headerLine } from '../results/write-result.js';

/**
 * Where an app is between start and exit, as `/readyz` reports it: `starting` until its
 * listeners are bound and its worker pool is up (or, in adapter mode, `init()` finished),
 * `ready` then, `draining` from the moment a stop begins, `stopped` after.
 * @see docs/processes.md#health
 */
export type Readiness = 'starting' | 'ready' | 'draining' | 'stopped';

// Built once: a probe is answered with two prebuilt strings, no JSON, no allocation per state.
const HEAD_LINES = `${headerLine('Content-Type', MIME_TYPE.TEXT)}Cache-Control: no-store\r\n`;

/**
 * The liveness and readiness endpoints of one app, from the config's `health` section. The
 * pipeline asks them after routing found no route, so routes pay nothing for them.
 */
export class HealthEndpoints {
  readonly #live: Selector | null;
  readonly #ready: Selector | null;

  constructor(config: HealthConfig) {
    this.#live = config.live === false ? null : parseSelector(config.live);
    this.#ready = config.ready === false ? null : parseSelector(config.ready);
  }

  /**
   * Answers a GET or HEAD to one of the two paths; false when the request is for neither.
   * Liveness is 200 whenever the process answers at all (also while draining: a stopping
   * process is alive, and a failing liveness probe would have it killed mid-drain).
   * Readiness is 200 only while `ready`, 503 with the state as the body otherwise.
   */
  answer(endpoint: Endpoint, path: string, sink: ResponseSink, readiness: Readiness): boolean {
    if (this.#live !== null && selects(this.#live, endpoint, path)) {
      sink.send(200, HEAD_LINES, 'alive');
      return true;
    }
    if (this.#ready !== null && selects(this.#ready, endpoint, path)) {
      sink.send(readiness === 'ready' ? 200 : 503, HEAD_LINES, readiness);
      return true;
    }
    return false;
  }
}

function selects(selector: Selector, endpoint: Endpoint, path: string): boolean {
  return selector.path === path && bindsTo(selector, endpoint);
}
