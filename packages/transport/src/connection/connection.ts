import type { Duplex } from 'node:stream';
import type { Endpoint } from '@bbws/router';
import { parseRequestHead } from '../parser/request-parser.js';
import { dateLine } from '../response/date-header.js';
import { statusLine } from '../response/status-lines.js';
import type { HttpRequest, RequestHandler, ResponseSink, StreamLimits } from './types.js';

/** Limits one connection enforces. */
export interface ConnectionLimits {
  readonly maxHeaderBytes: number;
  readonly maxBodyBytes: number;
  readonly keepAliveTimeoutMs: number;
  readonly keepAliveMaxRequests: number;
  readonly streamLimits: StreamLimits;
}

type State = 'reading' | 'handling' | 'closed';

/**
 * One client connection: reads requests, hands each to the handler, writes the answer, and
 * keeps the socket for the next request while keep-alive allows. Requests on one connection
 * are handled one at a time, so pipelined requests are answered in order.
 *
 * The socket is any Duplex: a `net.Socket`, a `tls.TLSSocket`, or an in-memory pair.
 */
export class Connection implements ResponseSink {
  readonly #socket: Duplex;
  readonly #endpoint: Endpoint;
  readonly #remoteAddress: string;
  readonly #handler: RequestHandler;
  readonly #limits: ConnectionLimits;
  #buffer: Buffer | null = null;
  #state: State = 'reading';
  #requestsServed = 0;
  #keepAlive = false;
  #isHead = false;
  #versionMinor: 0 | 1 = 1;
  #idleTimer: NodeJS.Timeout | null = null;

  constructor(
    socket: Duplex,
    endpoint: Endpoint,
    remoteAddress: string,
    handler: RequestHandler,
    limits: ConnectionLimits,
  ) {
    this.#socket = socket;
    this.#endpoint = endpoint;
    this.#remoteAddress = remoteAddress;
    this.#handler = handler;
    this.#limits = limits;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#close());
    socket.on('error', () => this.#close());
    socket.on('close', () => this.#close());
    this.#armIdleTimer();
  }

  /** Whether the connection is waiting for a request (no request in progress). */
  get isIdle(): boolean {
    return this.#state === 'reading' && (this.#buffer === null || this.#buffer.length === 0);
  }

  /** Closes the connection now. */
  destroy(): void {
    this.#close();
  }

  #onData(chunk: Buffer): void {
    if (this.#state === 'closed') return;
    this.#buffer =
      this.#buffer === null || this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    if (this.#state === 'reading') this.#processBuffer();
  }

  #processBuffer(): void {
    const buf = this.#buffer;
    if (buf === null || buf.length === 0) return;
    this.#clearIdleTimer();
    const head = parseRequestHead(buf, this.#limits.maxHeaderBytes);
    if (head.kind === 'incomplete') return;
    if (head.kind === 'error') {
      this.#fail(head.status);
      return;
    }
    const contentLength = headerValue(head.headers, 'content-length');
    let body: Buffer | null = null;
    let consumed = head.end;
    if (contentLength !== undefined) {
      const length = Number(contentLength);
      if (!Number.isSafeInteger(length) || length < 0 || !/^\d+$/.test(contentLength)) {
        this.#fail(400);
        return;
      }
      if (length > this.#limits.maxBodyBytes) {
        this.#fail(413);
        return;
      }
      if (buf.length < head.end + length) return;
      body = buf.subarray(head.end, head.end + length);
      consumed += length;
    }
    this.#buffer = consumed === buf.length ? null : buf.subarray(consumed);
    const connection = headerValue(head.headers, 'connection')?.toLowerCase();
    this.#keepAlive = head.versionMinor === 1 ? connection !== 'close' : connection === 'keep-alive';
    this.#requestsServed++;
    if (this.#requestsServed >= this.#limits.keepAliveMaxRequests) this.#keepAlive = false;
    const queryAt = head.target.indexOf('?');
    const request: HttpRequest = {
      method: head.method,
      target: head.target,
      path: queryAt === -1 ? head.target : head.target.slice(0, queryAt),
      query: queryAt === -1 ? '' : head.target.slice(queryAt + 1),
      versionMinor: head.versionMinor,
      headers: head.headers,
      body,
      endpoint: this.#endpointFor(head.headers),
      remoteAddress: this.#remoteAddress,
      streamLimits: this.#limits.streamLimits,
    };
    this.#isHead = head.method === 'HEAD';
    this.#versionMinor = head.versionMinor;
    this.#state = 'handling';
    this.#socket.pause();
    this.#handler(request, this);
  }

  send(status: number, headerLines: string, body: Uint8Array | string | null): void {
    if (this.#state !== 'handling') return;
    const length = body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    const head = `${statusLine(status)}${dateLine()}${headerLines}Content-Length: ${length}\r\n${this.#connectionLine()}\r\n`;
    const socket = this.#socket;
    if (body === null || length === 0 || this.#isHead) {
      socket.write(head, 'latin1');
    } else if (typeof body === 'string') {
      socket.write(head + body, 'utf8');
    } else {
      socket.cork();
      socket.write(head, 'latin1');
      socket.write(body);
      socket.uncork();
    }
    this.#finishRequest();
  }

  async stream(
    status: number,
    headerLines: string,
    chunks: AsyncIterable<Uint8Array | string>,
  ): Promise<void> {
    if (this.#state !== 'handling') return;
    // An HTTP/1.0 client cannot read chunked coding (RFC 9112 §7): it gets a body delimited by close.
    const isChunked = this.#versionMinor === 1;
    if (!isChunked) this.#keepAlive = false;
    const framing = isChunked ? 'Transfer-Encoding: chunked\r\n' : '';
    this.#socket.write(
      `${statusLine(status)}${dateLine()}${headerLines}${framing}${this.#connectionLine()}\r\n`,
      'latin1',
    );
    await this.#pump(chunks, isChunked, -1);
  }

  async streamFixed(
    status: number,
    headerLines: string,
    length: number,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<void> {
    if (this.#state !== 'handling') return;
    this.#socket.write(
      `${statusLine(status)}${dateLine()}${headerLines}Content-Length: ${length}\r\n${this.#connectionLine()}\r\n`,
      'latin1',
    );
    await this.#pump(chunks, false, length);
  }

  /** Writes a streamed body; `expectedLength` -1 means unknown. */
  async #pump(
    chunks: AsyncIterable<Uint8Array | string>,
    isChunked: boolean,
    expectedLength: number,
  ): Promise<void> {
    const socket = this.#socket;
    const iterator = chunks[Symbol.asyncIterator]();
    if (this.#isHead) {
      await iterator.return?.();
      this.#finishRequest();
      return;
    }
    let written = 0;
    const onClose = () => {
      void iterator.return?.();
    };
    socket.once('close', onClose);
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) break;
        if (this.#state !== 'handling') return;
        const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
        if (chunk.byteLength === 0) continue;
        written += chunk.byteLength;
        if (expectedLength >= 0 && written > expectedLength)
          throw new Error('stream longer than its Content-Length');
        let drained: boolean;
        if (isChunked) {
          socket.cork();
          socket.write(`${chunk.byteLength.toString(16)}\r\n`, 'latin1');
          socket.write(chunk);
          drained = socket.write('\r\n', 'latin1');
          socket.uncork();
        } else {
          drained = socket.write(chunk);
        }
        if (!drained) await waitForDrain(socket);
      }
      if (this.#state !== 'handling') return;
      if (expectedLength >= 0 && written !== expectedLength)
        throw new Error('stream shorter than its Content-Length');
      if (isChunked) socket.write('0\r\n\r\n', 'latin1');
      this.#finishRequest();
    } catch {
      // The head is already out: the only honest signal left is an incomplete body.
      this.#close();
    } finally {
      socket.off('close', onClose);
    }
  }

  /** HTTP/1.1 keeps alive by default; a 1.0 client that asked for it is told it got it. */
  #connectionLine(): string {
    if (!this.#keepAlive) return 'Connection: close\r\n';
    return this.#versionMinor === 0 ? 'Connection: keep-alive\r\n' : '';
  }

  #finishRequest(): void {
    if (!this.#keepAlive) {
      this.#state = 'closed';
      this.#socket.end();
      return;
    }
    this.#state = 'reading';
    this.#socket.resume();
    if (this.#buffer !== null && this.#buffer.length > 0) this.#processBuffer();
    else this.#armIdleTimer();
  }

  /** The connection's endpoint with the domain of this request (SNI wins over Host). */
  #endpointFor(headers: readonly string[]): Endpoint {
    const base = this.#endpoint;
    if (base.domain !== '') return base;
    const host = headerValue(headers, 'host');
    if (host === undefined || host === '') return base;
    return { ip: base.ip, port: base.port, domain: hostToDomain(host), isTls: base.isTls };
  }

  #fail(status: number): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#clearIdleTimer();
    this.#socket.end(
      `${statusLine(status)}${dateLine()}Content-Length: 0\r\nConnection: close\r\n\r\n`,
      'latin1',
    );
  }

  #armIdleTimer(): void {
    const ms = this.#limits.keepAliveTimeoutMs;
    if (ms <= 0) return;
    this.#idleTimer = setTimeout(() => this.#close(), ms);
    this.#idleTimer.unref();
  }

  #clearIdleTimer(): void {
    if (this.#idleTimer !== null) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = null;
    }
  }

  #close(): void {
    this.#clearIdleTimer();
    if (this.#state === 'closed' && this.#socket.destroyed) return;
    this.#state = 'closed';
    this.#buffer = null;
    this.#socket.destroy();
  }
}

function waitForDrain(socket: Duplex): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

function headerValue(headers: readonly string[], name: string): string | undefined {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return headers[i + 1];
  return undefined;
}

/** `Example.COM:8080` → `example.com`; `[::1]:80` → `::1`. */
function hostToDomain(host: string): string {
  if (host.charCodeAt(0) === 91 /* [ */) {
    const close = host.indexOf(']');
    return close === -1 ? host.toLowerCase() : host.slice(1, close).toLowerCase();
  }
  const colon = host.indexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}
