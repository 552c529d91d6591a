import { Duplex } from 'node:stream';

/**
 * Two connected in-memory Duplex streams: what one side writes, the other reads. The
 * transport serves `server` exactly as it serves a socket; tests write to `client`.
 * (Node 22 has `stream.duplexPair`; Node 20 does not.)
 */
export class DuplexPair {
  readonly client: Duplex;
  readonly server: Duplex;

  constructor() {
    const a = new HalfDuplex();
    const b = new HalfDuplex();
    a.peer = b;
    b.peer = a;
    this.client = a;
    this.server = b;
  }
}

class HalfDuplex extends Duplex {
  peer: HalfDuplex | null = null;
  #pendingCallback: ((error?: Error | null) => void) | null = null;

  override _read(): void {
    const peer = this.peer;
    if (peer === null) return;
    const cb = peer.#pendingCallback;
    if (cb !== null) {
      peer.#pendingCallback = null;
      cb();
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (peer === null || peer.destroyed) {
      callback();
      return;
    }
    // Backpressure: hold the callback until the reader asks for more.
    if (peer.push(chunk)) callback();
    else this.#pendingCallback = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.peer?.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    const pending = this.#pendingCallback;
    this.#pendingCallback = null;
    pending?.();
    if (peer !== null && !peer.destroyed) {
      peer.push(null);
      peer.destroy();
    }
    callback(error);
  }
}
