import type { ResponseSink } from '@bbws/transport';
import { OffloadError } from './offload-error.js';
import type { OffloadReply } from './offload-messages.js';

/**
 * The worker-side sink a route plan writes to: it turns the one complete response into an
 * {@link OffloadReply} (a Uint8Array body as a transferable ArrayBuffer). Streamed bodies do
 * not cross threads (yet): they throw, and the plan answers 500.
 */
export class ReplySink implements ResponseSink {
  readonly #onReply: (reply: OffloadReply, transfer: ArrayBuffer[]) => void;
  #isSent = false;

  constructor(onReply: (reply: OffloadReply, transfer: ArrayBuffer[]) => void) {
    this.#onReply = onReply;
  }

  send(status: number, headerLines: string, body: Uint8Array | string | null): void {
    if (this.#isSent) return;
    this.#isSent = true;
    let crossing: string | ArrayBuffer | null;
    let transfer: ArrayBuffer[] = [];
    if (body === null || typeof body === 'string') {
      crossing = body;
    } else {
      // A view of the whole buffer moves as it is; a slice of a shared one is copied once.
      const whole =
        body.byteOffset === 0 &&
        body.byteLength === body.buffer.byteLength &&
        body.buffer instanceof ArrayBuffer &&
        !isPooled(body);
      crossing = whole ? (body.buffer as ArrayBuffer) : body.slice().buffer;
      transfer = [crossing];
    }
    this.#onReply({ status, headerLines, body: crossing }, transfer);
  }

  stream(): Promise<void> {
    throw new OffloadError(
      'BBWS_ERR_OFFLOAD_STREAM',
      'an offloaded route returned a streamed body (StreamResponse or file); streams do not cross to the worker pool, keep the route inline',
    );
  }

  streamFixed(): Promise<void> {
    return this.stream();
  }
}

/** Buffers of Node's shared allocation pool may not be transferred (other Buffers live in them). */
function isPooled(body: Uint8Array): boolean {
  return Buffer.isBuffer(body) && body.buffer.byteLength === Buffer.poolSize;
}
