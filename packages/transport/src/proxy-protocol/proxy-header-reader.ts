import type { Duplex } from 'node:stream';
import { errorResponse } from '../response/error-response.js';
import {
  PROXY_DONE,
  PROXY_NEED_MORE,
  type ProxyHeader,
  type ProxyHeaderFailure,
  parseProxyHeader,
} from './parse-proxy-header.js';

/** How long a refused socket may take to read its 400 before it is destroyed. */
const REFUSE_LINGER_MS = 2000;

/** Why a connection on a PROXY protocol listener was refused, counted per kind. */
export type ProxyRefusalKind = 'missing' | 'malformed' | 'timeout';

/** Refusals counted so far on PROXY protocol listeners. */
export type ProxyProtocolCounts = {
  readonly 'proxy_protocol.missing': number;
  readonly 'proxy_protocol.malformed': number;
  readonly 'proxy_protocol.timeout': number;
};

/** Mutable tallies behind {@link ProxyProtocolCounts}; one per server. */
export class ProxyRefusals {
  missing = 0;
  malformed = 0;
  timeout = 0;

  snapshot(): ProxyProtocolCounts {
    return {
      'proxy_protocol.missing': this.missing,
      'proxy_protocol.malformed': this.malformed,
      'proxy_protocol.timeout': this.timeout,
    };
  }
}

/** The socket's client once the header is read: its address and port, and the bytes after the header. */
export type ProxyHeaderDone = (source: ProxyHeader['source'], rest: Buffer | null) => void;
/** A refusal, for the log line (the reader has already answered or closed). */
export type ProxyHeaderRefused = (kind: ProxyRefusalKind, reason: string) => void;

/**
 * Reads the PROXY header from the first bytes of a connection before any HTTP parser sees
 * them. Bytes after the header are handed on, so a client's request that arrives in the same
 * packet is not lost. A connection that does not start with a header is refused: one whose
 * bytes look like an HTTP request (a client that bypassed the proxy) gets `400` and a close,
 * anything else a close; a header not complete within `header_timeout` is closed too. The
 * deadline is checked by the server's sweep ({@link ProxyHeaderReader.tick}), so no timer is made.
 * @see docs/proxies.md#proxy-protocol
 */
export class ProxyHeaderReader {
  readonly #socket: Duplex;
  readonly #deadline: number;
  readonly #onDone: ProxyHeaderDone;
  readonly #onRefused: ProxyHeaderRefused;
  #received: Buffer | null = null;
  #isFinished = false;
  readonly #onData = (chunk: Buffer) => this.#read(chunk);
  /** The client left (or ended its side) before its header was complete. */
  readonly #onGone = () => this.destroy();

  constructor(
    socket: Duplex,
    headerTimeoutMs: number,
    now: number,
    onDone: ProxyHeaderDone,
    onRefused: ProxyHeaderRefused,
  ) {
    this.#socket = socket;
    this.#deadline = headerTimeoutMs > 0 ? now + headerTimeoutMs : Number.POSITIVE_INFINITY;
    this.#onDone = onDone;
    this.#onRefused = onRefused;
    socket.on('data', this.#onData);
    socket.on('end', this.#onGone);
    socket.on('error', this.#onGone);
    socket.on('close', this.#onGone);
  }

  /** Whether the reader is done (header read, refused, or the socket is gone). */
  get isFinished(): boolean {
    return this.#isFinished;
  }

  /** The sweep: a header not complete by `header_timeout` closes the connection. */
  tick(now: number): void {
    if (this.#isFinished || now < this.#deadline) return;
    this.#refuse('timeout', 'PROXY protocol header not complete within header_timeout', false);
  }

  /** Closes the socket now (the server stops). */
  destroy(): void {
    if (this.#isFinished) return;
    this.#finish();
    this.#socket.destroy();
  }

  #read(chunk: Buffer): void {
    if (this.#isFinished) return;
    const received = this.#received === null ? chunk : Buffer.concat([this.#received, chunk]);
    const result = parseProxyHeader(received);
    if (result === PROXY_NEED_MORE) {
      // Bounded: the parser refuses a v1 line past 107 bytes and a v2 header past its cap.
      this.#received = received;
      return;
    }
    if (result.status === PROXY_DONE) {
      this.#finish();
      const socket = this.#socket;
      // The connection reads from here on: no byte may be delivered to nobody in between.
      socket.pause();
      const rest = received.length > result.length ? received.subarray(result.length) : null;
      this.#onDone(result.source, rest);
      return;
    }
    this.#refuseFor(result, received);
  }

  #refuseFor(result: ProxyHeaderFailure, received: Buffer): void {
    const first = received[0] ?? 0;
    // A request line starts with a method token; upper-case letters are what clients send.
    const looksLikeHttp = result.kind === 'missing' && first >= 0x41 && first <= 0x5a;
    this.#refuse(result.kind, result.reason, looksLikeHttp);
  }

  #refuse(kind: ProxyRefusalKind, reason: string, answer400: boolean): void {
    this.#finish();
    this.#onRefused(kind, reason);
    const socket = this.#socket;
    if (!answer400) {
      socket.destroy();
      return;
    }
    socket.on('error', () => socket.destroy());
    // Read and drop what else comes, so the close does not reset the 400 away.
    socket.resume();
    socket.end(errorResponse(400), 'latin1');
    setTimeout(() => socket.destroy(), REFUSE_LINGER_MS).unref();
  }

  #finish(): void {
    if (this.#isFinished) return;
    this.#isFinished = true;
    this.#received = null;
    const socket = this.#socket;
    socket.off('data', this.#onData);
    socket.off('end', this.#onGone);
    socket.off('error', this.#onGone);
    socket.off('close', this.#onGone);
  }
}
