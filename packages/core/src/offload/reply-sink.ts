import type { TransferListItem } from 'node:worker_threads';
import type { ResponseSink } from '@bbws/transport';
import type { OffloadReply } from './offload-messages.js';
import { pumpToPort } from './stream-channel.js';

/** Receives the reply and what to transfer with it. */
export type ReplyListener = (reply: OffloadReply, transfer: TransferListItem[]) => void;

/**
 * The worker-side sink a route plan writes to: it turns the response into an
 * {@link OffloadReply}: a Uint8Array body copied into an ArrayBuffer that is transferred, a streamed body as a
 * MessagePort its chunks follow on.
 */
export class ReplySink implements ResponseSink {
  readonly #onReply: ReplyListener;
  #isSent = false;

  constructor(onReply: ReplyListener) {
    this.#onReply = onReply;
  }

  send(status: number, headerLines: string, body: Uint8Array | string | null): void {
    if (this.#isSent) return;
    this.#isSent = true;
    let crossing: string | ArrayBuffer | null;
    let transfer: TransferListItem[] = [];
    if (body === null || typeof body === 'string') {
      crossing = body;
    } else {
      // Copied once, then moved: the handler may hand out the same bytes again (a cached
      // body), and moving its own buffer would leave that empty for the next request.
      crossing = body.slice().buffer as ArrayBuffer;
      transfer = [crossing];
    }
    this.#onReply({ status, headerLines, body: crossing, stream: null, length: -1 }, transfer);
  }

  stream(status: number, headerLines: string, chunks: AsyncIterable<Uint8Array | string>): Promise<void> {
    return this.#streamed(status, headerLines, -1, chunks);
  }

  streamFixed(
    status: number,
    headerLines: string,
    length: number,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<void> {
    return this.#streamed(status, headerLines, length, chunks);
  }

  /** The head crosses now with a port of its own; the chunks follow on it, paced by credit. */
  #streamed(
    status: number,
    headerLines: string,
    length: number,
    chunks: AsyncIterable<Uint8Array | string>,
  ): Promise<void> {
    if (this.#isSent) return Promise.resolve();
    this.#isSent = true;
    // node:worker_threads is loaded in a worker thread already; the main thread never gets here.
    const { port1, port2 } = new (process.getBuiltinModule('node:worker_threads').MessageChannel)();
    this.#onReply({ status, headerLines, body: null, stream: port2, length }, [port2]);
    return pumpToPort(port1, chunks);
  }
}
