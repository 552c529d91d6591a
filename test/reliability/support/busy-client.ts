import type { StrictResponse } from './strict-response-parser.js';
import { KeptAliveClient } from './wire-client.js';

/**
 * The busy client of the stop drills (graceful stop, drain delay): sequential requests on a
 * kept-alive connection, reconnecting when the server closes it, until `keepGoing()` says stop
 * or a connect is refused. Every request it attempts ends as exactly one of:
 * - answered: a complete, well-formed 200 arrived;
 * - refused before acceptance: the connect was refused or reset (ECONNREFUSED, ECONNRESET: the
 *   request was never written), or the connection ended before a single byte of the answer
 *   arrived (RFC 9112 §9.3.1: the client may retry it);
 * - lost: anything else (another status, a partial or malformed answer, no answer within the
 *   bound), recorded by kind.
 */
export interface BusyCount {
  attempted: number;
  answered: number;
  connectRefused: number;
  closedUnread: number;
  lost: string[];
}

export function newBusyCount(): BusyCount {
  return { attempted: 0, answered: 0, connectRefused: 0, closedUnread: 0, lost: [] };
}

export interface BusyClientOptions {
  readonly port: number;
  /** The request's bytes, e.g. `GET /hello HTTP/1.1\r\nHost: drill\r\n\r\n`. */
  readonly request: string;
  /** Bound on each connect and each answer. */
  readonly boundMs: number;
  readonly keepGoing: () => boolean;
  /** Called for each answered 200 (after `count.answered` grew). */
  readonly onAnswered?: (response: StrictResponse) => void;
  /** Called for each refused connect (after `count.connectRefused` grew). */
  readonly onRefused?: () => void;
}

/** One client: sequential requests until `keepGoing()` is false or its connect is refused. */
export async function busyClient(count: BusyCount, options: BusyClientOptions): Promise<void> {
  let client: KeptAliveClient | null = null;
  try {
    while (options.keepGoing()) {
      if (client === null || !client.isReusable) {
        client?.close();
        client = null;
        try {
          client = await KeptAliveClient.connect(options.port, options.boundMs);
        } catch (error) {
          count.attempted++;
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ECONNREFUSED' || code === 'ECONNRESET') {
            count.connectRefused++;
            options.onRefused?.();
          } else count.lost.push(`connect:${code ?? 'error'}`);
          return;
        }
      }
      count.attempted++;
      const outcome = await client.request(options.request, options.boundMs);
      if (outcome.kind === 'response' && outcome.response.status === 200) {
        count.answered++;
        options.onAnswered?.(outcome.response);
      } else if (outcome.kind === 'ended' && outcome.partialBytes === 0) {
        count.closedUnread++;
        client.close();
        client = null;
      } else {
        count.lost.push(
          outcome.kind === 'response'
            ? String(outcome.response.status)
            : outcome.kind === 'ended'
              ? `partial:${outcome.partialBytes}`
              : outcome.kind,
        );
        client.close();
        client = null;
      }
    }
  } finally {
    client?.close();
  }
}

/** The requests that reached a handler: the sum of the `"handled":N` lines a child printed at exit. */
export function handledIn(lines: readonly string[]): number {
  let handled = Number.NaN;
  for (const line of lines) {
    const match = /"handled":(\d+)/.exec(line);
    if (match !== null) handled = (Number.isNaN(handled) ? 0 : handled) + Number(match[1]);
  }
  return handled;
}
