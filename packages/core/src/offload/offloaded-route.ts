import type { HttpRequest, ResponseSink, WorkerPool } from '@bbws/transport';
import type { ErrorResponder, RouteTarget } from '../app/route-plan.js';
import type { OffloadReply } from './offload-messages.js';
import { toCall } from './offload-messages.js';
import { PortChunks } from './stream-channel.js';

const TEXT_LINE = 'Content-Type: text/plain; charset=utf-8\r\n';

/**
 * The transport checks handler deadlines on a sweep of at most 250 ms. The pool's watchdog
 * fires at the deadline itself (so a stuck worker is replaced at once) but its 504 waits one
 * sweep longer: over a socket the transport's 504 (and its `timeouts.handler` count) comes
 * first and ours is ignored; where no transport watches (adapters), ours is the answer.
 */
const SWEEP_SLACK_MS = 300;

/**
 * What the router stores for an offloaded route: it posts the request to the worker pool and
 * writes the answer that comes back. A job the pool's watchdog stopped answers 504 (the
 * transport's own handler watchdog normally answers first; a connection ignores a second
 * answer); a job whose worker was terminated or closed answers 503. Nothing is left waiting.
 */
export class OffloadedRoute implements RouteTarget {
  readonly #route: number;
  readonly #pool: () => WorkerPool;
  readonly #errors: ErrorResponder;

  /**
   * @param route the plan's index, the same in every thread
   * @param pool the app's pool, created on first use
   * @param errors where unexpected failures go (logged, 500)
   */
  constructor(route: number, pool: () => WorkerPool, errors: ErrorResponder) {
    this.#route = route;
    this.#pool = pool;
    this.#errors = errors;
  }

  invoke(request: HttpRequest, params: Readonly<Record<string, unknown>>, sink: ResponseSink): void {
    const { call, transfer } = toCall(this.#route, request, params);
    this.#pool()
      .run(call, transfer)
      .then(
        (value) => this.#write(sink, value as OffloadReply),
        (error: unknown) => this.#fail(request, sink, error),
      );
  }

  #write(sink: ResponseSink, reply: OffloadReply): void {
    if (reply.stream === null) {
      const body = reply.body;
      sink.send(reply.status, reply.headerLines, body instanceof ArrayBuffer ? new Uint8Array(body) : body);
      return;
    }
    const chunks = new PortChunks(reply.stream);
    const written =
      reply.length >= 0
        ? sink.streamFixed(reply.status, reply.headerLines, reply.length, chunks as AsyncIterable<Uint8Array>)
        : sink.stream(reply.status, reply.headerLines, chunks);
    // A sink that already answered (the transport's 504) never reads the chunks: stop the worker's.
    const stop = (): void => void chunks.return();
    written.then(stop, stop);
  }

  #fail(request: HttpRequest, sink: ResponseSink, error: unknown): void {
    switch ((error as { code?: unknown }).code) {
      case 'BBWS_ERR_POOL_JOB_TIMEOUT':
        setTimeout(() => sink.send(504, TEXT_LINE, 'Gateway Timeout'), SWEEP_SLACK_MS).unref();
        return;
      case 'BBWS_ERR_POOL_WORKER_LOST':
      case 'BBWS_ERR_POOL_CLOSED':
        sink.send(503, TEXT_LINE, 'Service Unavailable');
        return;
      default:
        this.#errors.respondError(request, sink, error);
    }
  }
}
