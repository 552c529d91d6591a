import type { RequestSlots } from '../accept-queue/request-slots.js';
import type { BodyBudget } from '../parser/body-buffer.js';
import type { RequestParser } from '../parser/request-parser.js';
import type { TimeoutCounters } from '../server/timeout-counters.js';
import type { TransportLimits } from './limits.js';
import type { RequestHandler } from './types.js';

/** How a plain listener sends clients to https (`https-redirect`). @see docs/transport.md */
export interface HttpsRedirect {
  /** Paths served over plain HTTP anyway; a trailing `*` matches any suffix. */
  readonly escapePaths: readonly string[];
  /** Port of the https URL; 443 (and absent, with no `tlsListener`) leaves it out of the URL. */
  readonly port?: number;
  /**
   * Index in `HttpServerOptions.listeners` of the TLS listener clients are sent to, when
   * `port` is absent: its bound port goes in the URL, so a TLS listener on port 0 works too.
   */
  readonly tlsListener?: number;
}

/** What a log line is about. */
export type TransportLogLevel = 'error' | 'warn' | 'info' | 'debug';

/** The most parsers a listener keeps for its next connections (see {@link ListenerContext.spareParsers}). */
export const MAX_SPARE_PARSERS = 64;

/** Where the transport reports events (failed certificates, handler errors, rejections). */
export type TransportLog = (level: TransportLogLevel, message: string) => void;

/**
 * What every connection of one listener shares: limits, request slots, counters. Built once
 * per listener; connections keep a reference, so nothing is copied per connection.
 */
export interface ListenerContext {
  readonly handler: RequestHandler;
  readonly limits: TransportLimits;
  readonly slots: RequestSlots;
  readonly counters: TimeoutCounters;
  /** Memory all bodies in progress share, across listeners (`max_body_buffer_total`). */
  readonly bodyBudget: BodyBudget;
  readonly httpsRedirect: HttpsRedirect | null;
  readonly log: TransportLog;
  /**
   * Parsers connections let go of between requests (nothing buffered, no request in progress:
   * the state a keep-alive parser is in before its next request), taken by the next connection
   * that needs one. At most {@link MAX_SPARE_PARSERS}.
   */
  readonly spareParsers: RequestParser[];
  /** True once the server is stopping: responses close their connection. */
  readonly isStopping: boolean;
  /** Called once when a connection is gone. */
  onClosed(connection: object): void;
}
