import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type BodyWriter, isPushBody, PUSH_BODY, type PushBody } from '@bbws/responses';
import type { Endpoint } from '@bbws/router';
import type { SlotWaiter } from '../accept-queue/request-slots.js';
import type { RequestHead } from '../parser/request-head.js';
import { BODY_END, BODY_PIECE, FAILED, NEED_MORE, REQUEST, RequestParser } from '../parser/request-parser.js';
import { contentLengthLine } from '../response/content-length.js';
import { dateLine } from '../response/date-header.js';
import { errorResponse } from '../response/error-response.js';
import { statusLine } from '../response/status-lines.js';
import { CHUNK_END, chunkSizeLine, sharedFrame } from './chunk-framing.js';
import { domainOfHost } from './host-domain.js';
import { httpsLocationLine, isEscapedPath } from './https-redirect.js';
import { type ListenerContext, MAX_SPARE_PARSERS } from './listener-context.js';
import { ReceivedRequest } from './received-request.js';
import { RequestBodyStream } from './request-body-stream.js';
import { countSharedRead, readIntoSharedBuffer } from './shared-reads.js';
import type { HttpRequest, ResponseSink } from './types.js';

const S_READING = 0;
const S_WAITING = 1;
const S_HANDLING = 2;
const S_DRAINING = 3;
const S_LINGER = 4;
const S_CLOSED = 5;

/** What the connection's one deadline means; checked by the server's sweep. */
const K_NONE = 0;
const K_IDLE = 1;
const K_HEADER = 2;
const K_BODY = 3;
const K_HANDLER = 4;
const K_LINGER = 5;
/** A complete request waits for a request slot (`connection_queue_timeout`). */
const K_SLOT = 6;
/** A written response waits for the socket to drain (`send_timeout`). */
const K_SEND = 7;

/** A body is judged against the minimum rate only after this much time. */
const BODY_RATE_GRACE_MS = 1000;
/**
 * A connection idle between requests this long drops its parser (with its reuse state: the
 * last head, target and header values) and its last Host, so idle keep-alive clients hold
 * little; a busy one keeps them. The next bytes make a new parser.
 */
const IDLE_TRIM_MS = 1000;
/** How long a closing connection waits for the peer's FIN before it is destroyed. */
const LINGER_MS = 2000;
/** Unparsed bytes held while a request is in progress before the socket stops being read. */
const PAUSE_THRESHOLD_BYTES = 65_536;
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
/** Longest string body whose whole response is kept for {@link lastResponse}. */
const MAX_CACHED_BODY = 1024;
/** Bodies larger than this are written in pieces of {@link WRITE_PIECE_BYTES} as the socket drains. */
const LARGE_BODY_BYTES = 262_144;
const WRITE_PIECE_BYTES = 65_536;

/**
 * The last complete response with a short string body, shared by all connections. Many
 * answers repeat (a greeting, a health check, a cached JSON document): when the next response
 * has the same status, header lines, body, Date second and Connection line, its bytes are
 * written as they are. The bytes are encoded on the first repeat, so a stream of distinct
 * answers pays only the comparisons. Strings compare by identity first, so a handler that
 * returns the same string object costs a few pointer comparisons.
 */
const lastResponse = {
  body: null as string | null,
  status: 0,
  headerLines: '',
  date: '',
  connection: '',
  head: '',
  isAscii: true,
  bytes: null as Buffer | null,
};

/** The bytes of a response: the head in latin1, the body in UTF-8 (one encoding pass when ASCII). */
function responseBytes(head: string, body: string, isAscii: boolean): Buffer {
  if (isAscii) return Buffer.from(head + body, 'latin1');
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body, 'utf8')]);
}

/**
 * Endpoints with a request's domain, per connection endpoint and Host, shared by every
 * connection to that endpoint that names the same Host: an idle connection holds none of its
 * own. At most {@link MAX_DOMAIN_ENDPOINTS} Hosts per endpoint are kept; a request naming
 * another gets an endpoint of its own, as all did before.
 */
const domainEndpoints = new WeakMap<Endpoint, Map<string, Endpoint>>();
const MAX_DOMAIN_ENDPOINTS = 64;

/**
 * The connection a socket belongs to. The socket's listeners are functions shared by every
 * connection (`this` is the socket), so an idle connection holds no closures of its own.
 */
const CONNECTION = Symbol('bbws.connection');
type OwnedSocket = Duplex & { [CONNECTION]: Connection };

/**
 * A connection's state for the less common paths: a request body read in pieces (its timers
 * and backpressure), a streamed or large answer (its source, the drain it waits for), and a
 * request waiting for a slot. Kept apart so that the many connections that only ever answer
 * plain requests, and sit idle between them, do not carry these fields.
 */
class Streaming {
  /** A complete request waiting for a request slot. */
  pending: HttpRequest | null = null;
  /** When the body being read began, and when its byte count last moved (`body_idle_timeout`). */
  startedAt = 0;
  progressBytes = 0;
  progressAt = 0;
  /** Drain events seen, and that count at the last sweep (`send_timeout`). */
  drains = 0;
  drainsSeen = 0;
  /**
   * Bytes the socket held unsent at the last sweep that saw any (0: none were waiting), and
   * when sending last made progress (`send_timeout`).
   */
  sendPending = 0;
  sendProgressAt = 0;
  /** The source of the stream being written, ended when the client leaves. */
  source: AsyncIterator<Uint8Array | string> | null = null;
  isAbandoned = false;
  /** Whether that stream has no declared length (chunked, or delimited by close). */
  isOpenEnded = false;
  /** Whether a streamed body's writes are corked until the next tick (one syscall for all). */
  isCorked = false;
  /** Resolves the writer waiting for the socket to drain (or to close). */
  drainWaiter: (() => void) | null = null;
  /** Whether a streamed request body's reader wants bytes (false: the socket is paused for it). */
  isBodyWanted = true;
  isPumpingBody = false;
  /** When the reader stopped wanting bytes: body timers do not count the reader's own pauses. */
  pausedAt = 0;
  /** Told by a streamed body's reader that it wants more; made with the first streamed body. */
  onBodyWanted: (() => void) | null = null;
}

/**
 * Bits of a connection's `#flags`. The first four are the connection's, kept from one request
 * to the next; the rest are the request's, set anew for each.
 */
const F_HAS_SLOT = 1;
const F_DRIVING = 2;
const F_PAUSED = 4;
const F_PEER_ENDED = 8;
const F_CONNECTION_BITS = F_HAS_SLOT | F_DRIVING | F_PAUSED | F_PEER_ENDED;
const F_KEEP_ALIVE = 16;
const F_HEAD = 32;
const F_HTTP_10 = 64;
const F_RESPONSE_STARTED = 128;
const F_CONTINUE_SENT = 256;

/**
 * Node's own `end` listener, which every `net.Socket` and `tls.TLSSocket` gets in its
 * constructor (net.js's `onReadableStreamEnd`); null unless it is the one known to act only on
 * a socket that does not allow half-open. Ours all allow it (server/http-server.ts), so for
 * them it does nothing, and removing it leaves the connection's own listener stored as one
 * function instead of an array of two: about 64 B less per open connection (docs/transport.md,
 * "What an idle connection holds"). Found on the first call, from a socket that never
 * connects, not when the module loads: the first `net.Socket` a process makes costs about a
 * millisecond, which an app that never serves a connection should not pay.
 */
export function nodeEndListener(): ((this: Duplex) => void) | null {
  if (foundEndListener === undefined) {
    const listeners = new Socket({ allowHalfOpen: true }).listeners('end');
    const listener = listeners[0];
    const isHalfOpenNoOp =
      listeners.length === 1 &&
      /^function \w*\(\) \{\s*if \(!this\.allowHalfOpen\) \{\s*this\.write = \w+;\s*\}\s*\}$/.test(
        String(listener),
      );
    foundEndListener = isHalfOpenNoOp ? (listener as (this: Duplex) => void) : null;
  }
  return foundEndListener;
}

let foundEndListener: ((this: Duplex) => void) | null | undefined;

/**
 * One client connection: parses requests, takes a request slot, hands each request to the
 * handler, writes the answer, and keeps the socket for the next request while keep-alive
 * allows. Requests on one connection are handled one at a time, so pipelined requests are
 * answered in order.
 *
 * The socket is any Duplex: a `net.Socket`, a `tls.TLSSocket`, or an in-memory pair.
 * Timeouts are deadlines checked by the server's sweep ({@link Connection.tick}), so the hot
 * path creates no timers.
 */
export class Connection implements ResponseSink, SlotWaiter {
  readonly #socket: Duplex;
  readonly #endpoint: Endpoint;
  readonly #remoteAddress: string;
  /** The peer's port (0 when unknown: in memory, or a PROXY header without addresses). */
  readonly #remotePort: number;
  readonly #context: ListenerContext;
  /** Made by the first bytes (see {@link #parser}), dropped when the connection idles. */
  #parserOrNull: RequestParser | null = null;
  #state = S_READING;
  #requestsServed = 0;
  /** The connection's yes/no state, one bit each (the F_ constants): one field, not nine. */
  #flags = 0;
  #deadlineKind = K_NONE;
  #deadline = 0;
  /** Budget bytes held for the body of the request in progress, returned when it is answered. */
  #bodyReserved = 0;
  /** The last request's Host and its endpoint (shared, see {@link domainEndpoints}); null when idle. */
  #lastAuthority: string | null = null;
  #lastEndpoint: Endpoint;
  /** The body of the request in progress while it streams to its handler; null otherwise. */
  #bodyStream: RequestBodyStream | null = null;
  /**
   * What only a body read in pieces, a streamed answer, a wait for the socket to drain or for
   * a request slot needs (see {@link Streaming}); made the first time, dropped when idle.
   */
  #streaming: Streaming | null = null;

  static readonly #onSocketData = function (this: OwnedSocket, chunk: Buffer): void {
    this[CONNECTION].#onData(chunk);
  };
  /** A read into the buffer every TCP socket shares (see shared-reads.ts). */
  static readonly #onSharedRead = function (this: Socket, nread: number, buf: Buffer): void {
    countSharedRead();
    (this as unknown as OwnedSocket)[CONNECTION].#onBorrowed(buf, nread);
  };
  static readonly #onSocketDrain = function (this: OwnedSocket): void {
    this[CONNECTION].#afterDrain();
  };
  static readonly #onSocketEnd = function (this: OwnedSocket): void {
    this[CONNECTION].#onEnd();
  };
  /** `error` and `close` both end the connection. */
  static readonly #onSocketGone = function (this: OwnedSocket): void {
    this[CONNECTION].#destroy();
  };

  constructor(
    socket: Duplex,
    endpoint: Endpoint,
    remoteAddress: string,
    context: ListenerContext,
    remotePort = 0,
    isCloseHeard = false,
    readsShared = false,
  ) {
    this.#socket = socket;
    this.#endpoint = endpoint;
    this.#lastEndpoint = endpoint;
    this.#remoteAddress = remoteAddress;
    this.#remotePort = remotePort;
    this.#context = context;
    // A fresh connection has header_timeout for its first head (nothing sent: closed quietly).
    this.#setDeadline(K_HEADER, context.limits.headerTimeoutMs, Date.now());
    (socket as OwnedSocket)[CONNECTION] = this;
    // With shared reads too: bytes the socket buffered before it was admitted come as `data`.
    socket.on('data', Connection.#onSocketData);
    if (readsShared) readIntoSharedBuffer(socket as Socket, Connection.#onSharedRead);
    socket.on('drain', Connection.#onSocketDrain);
    if (socket.allowHalfOpen) {
      const nodeEnd = nodeEndListener();
      if (nodeEnd !== null) socket.removeListener('end', nodeEnd);
    }
    socket.on('end', Connection.#onSocketEnd);
    socket.on('error', Connection.#onSocketGone);
    // A server that listens to `close` already calls socketClosed: one listener, not an array.
    if (!isCloseHeard) socket.on('close', Connection.#onSocketGone);
  }

  /**
   * The socket of a connection closed (or of none yet: nothing happens). For an owner that
   * listens to the socket's `close` itself and made the connection with `isCloseHeard`.
   */
  static socketClosed(socket: Duplex): void {
    const connection = (socket as Partial<OwnedSocket>)[CONNECTION];
    if (connection !== undefined) connection.#destroy();
  }

  /**
   * The connection's parser, made when it is first needed: a connection idle between requests
   * holds none (it is dropped after {@link IDLE_TRIM_MS}), nor does one that sent nothing yet.
   */
  get #parser(): RequestParser {
    return this.#parserOrNull ?? this.#newParser();
  }

  #newParser(): RequestParser {
    const context = this.#context;
    const parser = context.spareParsers.pop() ?? new RequestParser(context.limits, context.bodyBudget);
    const policy = context.handler.bodyStreamLimit;
    if (policy !== undefined && policy !== null) {
      // Only when some route streams its body: other apps' heads pay one null check.
      parser.setStreamDecider((head) => policy(head.method, head.path, this.#endpointFor(head.authority)));
    }
    this.#parserOrNull = parser;
    return parser;
  }

  /** Whether nothing is in progress in the parser: none made, or one between requests with no bytes. */
  #isParserIdle(): boolean {
    const parser = this.#parserOrNull;
    return parser === null || parser.phase === 'idle';
  }

  /** Whether the connection is waiting for a request (nothing in progress, nothing buffered). */
  get isIdle(): boolean {
    return this.#state === S_READING && this.#isParserIdle();
  }

  /** Closes the connection now. */
  destroy(): void {
    this.#destroy();
  }

  /**
   * Graceful stop: an idle connection closes now; a busy one answers its current request with
   * `Connection: close` and closes after it.
   */
  beginStop(): void {
    if (this.#state === S_READING && this.#isParserIdle()) {
      this.#endGracefully();
      return;
    }
    this.refuseKeepAlive();
  }

  /** The server drains: a response not yet begun says `Connection: close` (see `HttpServer.drain`). */
  refuseKeepAlive(): void {
    if ((this.#flags & F_RESPONSE_STARTED) === 0) this.#flags &= ~F_KEEP_ALIVE;
  }

  /** The sweep: enforces the deadline of the current phase. */
  tick(now: number): void {
    switch (this.#deadlineKind) {
      case K_NONE:
        return;
      case K_IDLE:
        if (this.#state !== S_READING) return;
        if (now >= this.#deadline) this.#endGracefully();
        else if (
          // Most idle connections have nothing to let go of: no clock arithmetic for them (the
          // sweep is rarely optimised, and unoptimised arithmetic on times makes garbage).
          (this.#parserOrNull !== null || this.#lastAuthority !== null || this.#streaming !== null) &&
          now - (this.#deadline - this.#context.limits.keepAliveTimeoutMs) >= IDLE_TRIM_MS
        )
          this.#trimIdle();
        return;
      case K_HEADER:
        if (now < this.#deadline || this.#state !== S_READING) return;
        if (this.#isParserIdle()) {
          this.#endGracefully();
        } else {
          this.#context.counters.count('header', this.#lastEndpoint, this.#remoteAddress);
          this.#reject(408);
        }
        return;
      case K_BODY:
        if (
          (this.#state === S_READING || (this.#bodyStream !== null && this.#more().isBodyWanted)) &&
          this.#isBodyTooSlow(now)
        ) {
          this.#context.counters.count('body', this.#lastEndpoint, this.#remoteAddress);
          this.#reject(408);
        }
        return;
      case K_HANDLER:
        if (this.#state !== S_HANDLING) return;
        if ((this.#flags & F_RESPONSE_STARTED) !== 0) {
          // A stream is being written: only a client that stops reading ends it here.
          if (this.#isSendStalled(now)) this.#abandonSend();
          return;
        }
        if (now <= this.#deadline) return;
        this.#context.counters.count('handler', this.#lastEndpoint, this.#remoteAddress);
        this.#flags &= ~F_KEEP_ALIVE;
        this.send(504, 'Content-Type: text/plain; charset=utf-8\r\n', 'Gateway Timeout');
        return;
      case K_SLOT:
        if (now < this.#deadline || this.#state !== S_WAITING) return;
        this.#context.counters.count('slot', this.#lastEndpoint, this.#remoteAddress);
        this.#reject(503);
        return;
      case K_SEND:
        if (this.#state === S_DRAINING && this.#isSendStalled(now)) this.#abandonSend();
        return;
      case K_LINGER:
        if (this.#socket.writableLength > 0) {
          // The last response is still being sent: the linger starts when it is out.
          if (this.#isSendStalled(now)) this.#abandonSend();
          else this.#deadline = now + LINGER_MS;
          return;
        }
        if (now >= this.#deadline) this.#destroy();
        return;
    }
  }

  /**
   * An idle connection lets go of what only its next request could use: the parser (and with
   * it the last head and its reuse state) and the last Host. Nothing is buffered
   * and no body is held, so the next request is read by a new parser, to the same result.
   */
  #trimIdle(): void {
    const parser = this.#parserOrNull;
    if (parser !== null) {
      if (parser.phase !== 'idle') return;
      parser.dispose();
      parser.trim();
      this.#parserOrNull = null;
      // Between requests a parser holds nothing of this connection's but its stream decider: the
      // next connection that needs a parser takes it (a burst of short connections makes few).
      const spare = this.#context.spareParsers;
      if (spare.length < MAX_SPARE_PARSERS) {
        parser.setStreamDecider(null);
        spare.push(parser);
      }
    }
    // The endpoint stays (it is shared, and timeouts are counted against it); the Host goes.
    this.#lastAuthority = null;
    // Nothing streams or waits between requests, unless a push stream's writes are still corked.
    if (this.#streaming !== null && !this.#streaming.isCorked) this.#streaming = null;
  }

  /** The connection's {@link Streaming} state, made on first use. */
  #more(): Streaming {
    this.#streaming ??= new Streaming();
    return this.#streaming;
  }

  /**
   * Whether the body being read breaks `body_idle_timeout` (no byte since that long) or
   * `body_min_rate_bytes_per_sec` (the average since the head, judged after a grace second).
   * Progress is sampled by the sweep, so reading a body reads no clock.
   */
  #isBodyTooSlow(now: number): boolean {
    const limits = this.#context.limits;
    const read = this.#parser.bodyBytesRead;
    const body = this.#more();
    if (read !== body.progressBytes) {
      body.progressBytes = read;
      body.progressAt = now;
    } else if (limits.bodyIdleTimeoutMs > 0 && now - body.progressAt >= limits.bodyIdleTimeoutMs) {
      return true;
    }
    const rate = limits.bodyMinBytesPerSec;
    const elapsed = now - body.startedAt;
    return rate > 0 && elapsed >= BODY_RATE_GRACE_MS && read * 1000 < rate * elapsed;
  }

  /**
   * Whether writing has made no progress for `send_timeout`: the bytes the socket holds did
   * not shrink and it did not drain since the sweep saw them. Sampled by the sweep: the clock
   * starts at the first sweep that sees bytes waiting, so neither the handler's time nor an
   * earlier answer's counts, and a connection whose answers go out at once carries none of it.
   */
  #isSendStalled(now: number): boolean {
    const pending = this.#socket.writableLength;
    if (pending === 0) {
      if (this.#streaming !== null) this.#streaming.sendPending = 0;
      return false;
    }
    const streaming = this.#more();
    if (
      streaming.sendPending === 0 ||
      pending < streaming.sendPending ||
      streaming.drains !== streaming.drainsSeen
    ) {
      streaming.sendPending = pending;
      streaming.drainsSeen = streaming.drains;
      streaming.sendProgressAt = now;
      return false;
    }
    streaming.sendPending = pending;
    const limit = this.#context.limits.sendTimeoutMs;
    return limit > 0 && now - streaming.sendProgressAt >= limit;
  }

  /** The client stopped reading: the connection is closed and counted (`timeouts.send`). */
  #abandonSend(): void {
    this.#context.counters.count('send', this.#lastEndpoint, this.#remoteAddress);
    this.#context.log('debug', 'response not read by the client within send_timeout: connection closed');
    this.#destroy();
  }

  /** A slot was taken for the waiting request: run it. */
  grantSlot(): void {
    const streaming = this.#streaming;
    const request = streaming === null ? null : streaming.pending;
    if (streaming !== null) streaming.pending = null;
    this.#flags |= F_HAS_SLOT;
    if (request === null || this.#state !== S_WAITING) {
      this.#releaseSlot();
      return;
    }
    this.#run(request);
  }

  #onData(chunk: Buffer): void {
    const state = this.#state;
    if (state >= S_LINGER) return;
    const parser = this.#parserOrNull ?? this.#newParser();
    parser.feed(chunk);
    this.#afterFeed(parser, state);
  }

  /**
   * `buf[0, length)` is lent until this returns (the shared read buffer): parsed in place,
   * and what the parser still needs afterwards is copied by `detach`.
   */
  #onBorrowed(buf: Buffer, length: number): void {
    const state = this.#state;
    if (state >= S_LINGER) return;
    const parser = this.#parserOrNull ?? this.#newParser();
    parser.feedBorrowed(buf, length);
    try {
      this.#afterFeed(parser, state);
    } finally {
      parser.detach();
    }
  }

  #afterFeed(parser: RequestParser, state: number): void {
    if (state === S_READING) {
      this.#drive();
    } else if (this.#bodyStream !== null) {
      this.#pumpBody();
    } else if ((this.#flags & F_PAUSED) === 0 && parser.bufferedBytes > PAUSE_THRESHOLD_BYTES) {
      // Backpressure: a client that pipelines faster than we answer waits in its own socket buffer.
      this.#flags |= F_PAUSED;
      this.#socket.pause();
    }
  }

  #onEnd(): void {
    this.#flags |= F_PEER_ENDED;
    if (this.#state === S_READING) this.#drive();
    else if (this.#state === S_LINGER) this.#destroy();
    else if (this.#bodyStream !== null) this.#pumpBody();
    // A client that closes its side while an open-ended stream is written has left (as nginx
    // reads it): the source is ended now, not at the next failing write.
    // #destroy ends the source (its pending next() may never settle).
    else if (this.#streaming?.source != null && this.#streaming.isOpenEnded) this.#destroy();
  }

  /** Ends the stream being written: its source's `return()` runs, the pump stops. */
  #abandonStream(): void {
    const streaming = this.#streaming;
    const source = streaming === null ? null : streaming.source;
    if (streaming === null || source === null) return;
    streaming.source = null;
    streaming.isAbandoned = true;
    let closing: Promise<unknown> | undefined;
    try {
      closing = source.return?.();
    } catch (error) {
      this.#context.log('warn', `stream source failed to close: ${describeError(error)}`);
    }
    closing?.catch((error: unknown) =>
      this.#context.log('warn', `stream source failed to close: ${describeError(error)}`),
    );
    const waiter = streaming.drainWaiter;
    streaming.drainWaiter = null;
    waiter?.();
  }

  /**
   * Parses and dispatches buffered requests while the connection is free to. Hot. The clock
   * is read only where a deadline is set: each request reads it when its handler starts.
   */
  #drive(): void {
    if ((this.#flags & F_DRIVING) !== 0) return;
    const parser = this.#parserOrNull;
    if (parser === null) {
      this.#driveWithoutParser();
      return;
    }
    this.#flags |= F_DRIVING;
    try {
      while (this.#state === S_READING) {
        const step = parser.next();
        if (step === REQUEST) {
          this.#dispatch(parser, parser.head as RequestHead, parser.body);
          if (this.#bodyStream !== null) this.#pumpBody();
          // Answered at once and let go of its parser (handed on, see #trimIdle): nothing is buffered.
          if (this.#parserOrNull !== parser) {
            if (this.#state === S_READING) this.#driveWithoutParser();
            return;
          }
          continue;
        }
        if (step === FAILED) {
          this.#reject(parser.errorStatus);
          return;
        }
        const phase = parser.phase;
        if (phase === 'head') {
          if (this.#deadlineKind !== K_HEADER)
            this.#setDeadline(K_HEADER, this.#context.limits.headerTimeoutMs, Date.now());
        } else if (phase === 'body' && this.#deadlineKind !== K_BODY) {
          this.#startBodyTimers(Date.now());
          const head = parser.head as RequestHead;
          if (head.expectsContinue && head.versionMinor === 1 && (this.#flags & F_CONTINUE_SENT) === 0) {
            this.#flags |= F_CONTINUE_SENT;
            this.#socket.write(CONTINUE, 'latin1');
          }
        }
        if ((this.#flags & F_PEER_ENDED) !== 0) {
          if (parser.finish() === NEED_MORE) this.#endGracefully();
          else this.#reject(parser.errorStatus);
          return;
        }
        this.#resumeSocket();
        return;
      }
    } finally {
      this.#flags &= ~F_DRIVING;
    }
  }

  /** Idle without a parser (a FIN, or a resume after a request): nothing to parse. */
  #driveWithoutParser(): void {
    if ((this.#flags & F_PEER_ENDED) !== 0) this.#endGracefully();
    else this.#resumeSocket();
  }

  /** Builds the request and runs it now or when a slot frees. Hot. */
  #dispatch(parser: RequestParser, head: RequestHead, body: Buffer | null): void {
    const context = this.#context;
    this.#requestsServed++;
    this.#bodyReserved = parser.takeReservation();
    const maxRequests = context.limits.keepAliveMaxRequests;
    const keepAlive =
      head.wantsKeepAlive &&
      !context.isStopping &&
      context.limits.keepAliveTimeoutMs > 0 &&
      (maxRequests === 0 || this.#requestsServed < maxRequests);
    // The request's own bits anew (not continue-sent, not started); the connection's kept.
    this.#flags =
      (this.#flags & F_CONNECTION_BITS) |
      (keepAlive ? F_KEEP_ALIVE : 0) |
      (head.method === 'HEAD' ? F_HEAD : 0) |
      (head.versionMinor === 0 ? F_HTTP_10 : 0);
    let bodyStream: RequestBodyStream | null = null;
    if (parser.isStreamingBody) {
      const streaming = this.#more();
      streaming.onBodyWanted ??= () => this.#resumeBody();
      bodyStream = new RequestBodyStream(streaming.onBodyWanted);
      this.#bodyStream = bodyStream;
      streaming.isBodyWanted = true;
      if (head.expectsContinue && head.versionMinor === 1) {
        this.#flags |= F_CONTINUE_SENT;
        this.#socket.write(CONTINUE, 'latin1');
      }
    }
    const request = new ReceivedRequest(
      head,
      body,
      bodyStream,
      this.#endpointFor(head.authority),
      this.#remoteAddress,
      this.#remotePort,
      context.limits.streamLimits,
    );
    if (context.httpsRedirect !== null && !isEscapedPath(context.httpsRedirect, head.path)) {
      this.#state = S_HANDLING;
      this.#deadlineKind = K_NONE;
      const name = request.endpoint.domain || this.#endpoint.ip;
      this.send(301, httpsLocationLine(context.httpsRedirect, name, head.path, head.query), null);
      return;
    }
    if (context.slots.tryAcquire()) {
      this.#flags |= F_HAS_SLOT;
      this.#run(request);
      return;
    }
    this.#state = S_WAITING;
    this.#setDeadline(K_SLOT, context.limits.queueTimeoutMs, Date.now());
    this.#more().pending = request;
    context.slots.wait(this);
  }

  /**
   * Hands the request to the handler. Hot. No deadline can pass while the handler runs (the
   * sweep waits for the event loop), so a handler that answers before it returns needs none,
   * and reads no clock here: `send` reads it once, for Date and the keep-alive deadline. One
   * that returns without an answer begun reads it then, and `handler_timeout` counts from that
   * moment, never from before it; so a pipelined request behind a slow one gets its whole time.
   */
  #run(request: HttpRequest): void {
    this.#state = S_HANDLING;
    const served = this.#requestsServed;
    if (this.#bodyStream !== null) {
      // A streamed body is still arriving: the body timers run until it ends, then
      // handler_timeout starts (an upload's length is the client's, not the handler's time).
      this.#startBodyTimers(Date.now());
    } else {
      // K_HANDLER even without a timeout: the sweep also watches a started stream's progress.
      // Its deadline is set when the handler returns (below).
      this.#deadlineKind = K_HANDLER;
      this.#deadline = Number.POSITIVE_INFINITY;
    }
    // The last sweep's sample of an earlier answer is no measure of this one's progress.
    if (this.#streaming !== null) this.#streaming.sendPending = 0;
    try {
      this.#context.handler(request, this);
      if (
        this.#state === S_HANDLING &&
        this.#requestsServed === served &&
        this.#deadlineKind === K_HANDLER &&
        (this.#flags & F_RESPONSE_STARTED) === 0
      ) {
        // The answer comes later: handler_timeout runs from now.
        const timeoutMs = this.#context.limits.handlerTimeoutMs;
        if (timeoutMs > 0) this.#deadline = Date.now() + timeoutMs;
      }
    } catch (error) {
      this.#context.log(
        'error',
        `request handler threw: ${error instanceof Error ? error.stack : String(error)}`,
      );
      this.#flags &= ~F_KEEP_ALIVE;
      if ((this.#flags & F_RESPONSE_STARTED) === 0) {
        this.send(500, 'Content-Type: text/plain; charset=utf-8\r\n', 'Internal Server Error');
      } else {
        this.#destroy();
      }
    }
  }

  send(status: number, headerLines: string, body: Uint8Array | string | null): void {
    if (this.#state !== S_HANDLING || (this.#flags & F_RESPONSE_STARTED) !== 0) return;
    this.#flags |= F_RESPONSE_STARTED;
    const socket = this.#socket;
    // Read when the head is written, so Date is never older than this second.
    const now = Date.now();
    // RFC 9110 §6.4.1, §8.6: 1xx, 204 and 304 have no content; 1xx and 204 no Content-Length.
    if (status < 200 || status === 204 || status === 304) {
      socket.write(
        `${statusLine(status)}${dateLine(now)}${headerLines}${this.#connectionLine()}\r\n`,
        'latin1',
      );
      this.#finishRequest(now);
      return;
    }
    const date = dateLine(now);
    const connection = this.#connectionLine();
    if (typeof body === 'string' && (this.#flags & F_HEAD) === 0) {
      const cache = lastResponse;
      if (
        body === cache.body &&
        status === cache.status &&
        headerLines === cache.headerLines &&
        date === cache.date &&
        connection === cache.connection
      ) {
        // The same response as the one before it (same second): written from cached bytes.
        cache.bytes ??= responseBytes(cache.head, body, cache.isAscii);
        socket.write(cache.bytes);
        this.#finishRequest(now);
        return;
      }
    }
    const length = body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    // Header bytes are always latin1 (obs-text as one byte each), whatever the body holds.
    const head = `${statusLine(status)}${date}${headerLines}${contentLengthLine(length)}${connection}\r\n`;
    if (body === null || length === 0 || (this.#flags & F_HEAD) !== 0) {
      socket.write(head, 'latin1');
    } else if (typeof body === 'string') {
      // As many bytes as characters means ASCII only: head and body go out in one latin1 write.
      const isAscii = length === body.length;
      if (isAscii) {
        socket.write(head + body, 'latin1');
      } else {
        socket.cork();
        socket.write(head, 'latin1');
        socket.write(body, 'utf8');
        socket.uncork();
      }
      if (body.length <= MAX_CACHED_BODY) {
        const cache = lastResponse;
        cache.body = body;
        cache.status = status;
        cache.headerLines = headerLines;
        cache.date = date;
        cache.connection = connection;
        cache.head = head;
        cache.isAscii = isAscii;
        cache.bytes = null;
      }
    } else if (length > LARGE_BODY_BYTES) {
      socket.write(head, 'latin1');
      this.#writePieces(body, 0);
      return;
    } else {
      socket.cork();
      socket.write(head, 'latin1');
      socket.write(body);
      socket.uncork();
    }
    this.#finishRequest(now);
  }

  /**
   * Writes a large body in pieces, the next once the socket drained, so that a client reading
   * slowly shows progress to `send_timeout` (one write of the whole body would show none until
   * its last byte left).
   */
  #writePieces(body: Uint8Array, from: number): void {
    let at = from;
    while (at < body.byteLength) {
      const piece = body.subarray(at, at + WRITE_PIECE_BYTES);
      at += piece.byteLength;
      if (!this.#socket.write(piece) && at < body.byteLength) {
        this.#more().drainWaiter = () => {
          if (this.#state === S_HANDLING) this.#writePieces(body, at);
        };
        return;
      }
    }
    this.#finishRequest(Date.now());
  }

  async stream(
    status: number,
    headerLines: string,
    chunks: AsyncIterable<Uint8Array | string>,
  ): Promise<void> {
    if (this.#state !== S_HANDLING || (this.#flags & F_RESPONSE_STARTED) !== 0) return;
    this.#flags |= F_RESPONSE_STARTED;
    // An HTTP/1.0 client cannot read chunked coding (RFC 9112 §7): it gets a body delimited by close.
    const isChunked = (this.#flags & F_HTTP_10) === 0;
    if (!isChunked) this.#flags &= ~F_KEEP_ALIVE;
    const framing = isChunked ? 'Transfer-Encoding: chunked\r\n' : '';
    this.#socket.write(
      `${statusLine(status)}${dateLine()}${headerLines}${framing}${this.#connectionLine()}\r\n`,
      'latin1',
    );
    if (isPushBody(chunks) && (this.#flags & F_HEAD) === 0) {
      this.#startPush(chunks as PushBody & AsyncIterable<Uint8Array | string>, isChunked);
      return;
    }
    await this.#pump(chunks, isChunked, -1);
  }

  /**
   * A body that writes itself (an SseChannel subscription, see push-body.ts in
   * @bbws/responses): each published chunk is written at once through a writer bound to this
   * stream. Limits, the client leaving and send_timeout end it as they end a pulled stream.
   */
  #startPush(body: PushBody & AsyncIterable<Uint8Array | string>, isChunked: boolean): void {
    const source = body[Symbol.asyncIterator]();
    const streaming = this.#more();
    streaming.source = source;
    streaming.isAbandoned = false;
    streaming.isOpenEnded = true;
    if ((this.#flags & F_PEER_ENDED) !== 0) {
      this.#destroy();
      return;
    }
    const writer: BodyWriter = {
      write: (chunk, isShared) =>
        streaming.source === source ? this.#writeChunk(chunk, isShared, isChunked) : 0,
      end: () => {
        if (streaming.source !== source) return;
        streaming.source = null;
        if (this.#state !== S_HANDLING) return;
        if (isChunked) this.#socket.write('0\r\n\r\n', 'latin1');
        this.#finishRequest(Date.now());
      },
      abort: () => {
        if (streaming.source === source) this.#destroy();
      },
    };
    body[PUSH_BODY](writer);
  }

  /**
   * Writes one chunk of a streamed body. The socket stays corked until the next tick, so the
   * chunks written in one tick (several events, or a chunk's three pieces) leave in one write.
   * @returns the bytes the socket holds unsent
   */
  #writeChunk(chunk: Uint8Array, isShared: boolean, isChunked: boolean): number {
    const socket = this.#socket;
    const streaming = this.#more();
    if (!streaming.isCorked) {
      streaming.isCorked = true;
      socket.cork();
      process.nextTick(Connection.#uncork, this);
    }
    if (!isChunked) {
      socket.write(chunk);
    } else if (isShared) {
      socket.write(sharedFrame(chunk));
    } else {
      socket.write(chunkSizeLine(chunk.byteLength));
      socket.write(chunk);
      socket.write(CHUNK_END);
    }
    return socket.writableLength;
  }

  static #uncork(this: void, connection: Connection): void {
    const streaming = connection.#streaming;
    if (streaming !== null) streaming.isCorked = false;
    connection.#socket.uncork();
  }

  async streamFixed(
    status: number,
    headerLines: string,
    length: number,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<void> {
    if (this.#state !== S_HANDLING || (this.#flags & F_RESPONSE_STARTED) !== 0) return;
    this.#flags |= F_RESPONSE_STARTED;
    this.#socket.write(
      `${statusLine(status)}${dateLine()}${headerLines}Content-Length: ${length}\r\n${this.#connectionLine()}\r\n`,
      'latin1',
    );
    await this.#pump(chunks, false, length);
  }

  /**
   * Writes a streamed body; `expectedLength` -1 means open-ended. The source is ended
   * (`return()`) as soon as the socket closes, and for an open-ended body also when the client
   * closes its side (a half-closed client still gets a body of known length).
   */
  async #pump(
    chunks: AsyncIterable<Uint8Array | string>,
    isChunked: boolean,
    expectedLength: number,
  ): Promise<void> {
    const socket = this.#socket;
    const iterator = chunks[Symbol.asyncIterator]();
    if ((this.#flags & F_HEAD) !== 0) {
      await iterator.return?.();
      this.#finishRequest(Date.now());
      return;
    }
    const streaming = this.#more();
    streaming.source = iterator;
    streaming.isAbandoned = false;
    streaming.isOpenEnded = expectedLength < 0;
    if (streaming.isOpenEnded && (this.#flags & F_PEER_ENDED) !== 0) {
      this.#destroy();
      return;
    }
    let written = 0;
    try {
      for (;;) {
        const next = await iterator.next();
        if (streaming.isAbandoned) break;
        if (next.done === true) break;
        if (this.#state !== S_HANDLING) return;
        const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
        if (chunk.byteLength === 0) continue;
        written += chunk.byteLength;
        if (expectedLength >= 0 && written > expectedLength)
          throw new Error('stream longer than its Content-Length');
        if (this.#writeChunk(chunk, false, isChunked) >= socket.writableHighWaterMark) {
          await new Promise<void>((resolve) => {
            streaming.drainWaiter = resolve;
          });
          if (streaming.isAbandoned) break;
        }
      }
      if (streaming.isAbandoned) {
        // The client left: the body stays incomplete, and nothing more is sent.
        this.#destroy();
        return;
      }
      streaming.source = null;
      if (this.#state !== S_HANDLING) return;
      if (expectedLength >= 0 && written !== expectedLength)
        throw new Error('stream shorter than its Content-Length');
      if (isChunked) socket.write('0\r\n\r\n', 'latin1');
      this.#finishRequest(Date.now());
    } catch (error) {
      streaming.source = null;
      // The head is already out: the only honest signal left is an incomplete body.
      this.#context.log('warn', `response stream aborted: ${describeError(error)}`);
      this.#destroy();
    }
  }

  /**
   * HTTP/1.1 keeps alive by default; a 1.0 client that asked for it is told it got it. An
   * answer given before a streamed body ended closes: the rest of the body is not read.
   */
  #connectionLine(): string {
    if (this.#bodyStream !== null) this.#flags &= ~F_KEEP_ALIVE;
    if ((this.#flags & F_KEEP_ALIVE) === 0) return 'Connection: close\r\n';
    return (this.#flags & F_HTTP_10) !== 0 ? 'Connection: keep-alive\r\n' : '';
  }

  /** The response is written (to the socket's buffer): free the slot, go on or close. Hot. */
  #finishRequest(now: number): void {
    this.#releaseBody();
    if ((this.#flags & F_KEEP_ALIVE) === 0 || this.#context.isStopping) {
      this.#releaseSlot();
      this.#endGracefully(now);
      return;
    }
    if (this.#socket.writableNeedDrain) {
      // Still being written: the slot stays taken and the next request waits (backpressure),
      // for as long as the client keeps reading (`send_timeout`).
      this.#state = S_DRAINING;
      this.#deadlineKind = K_SEND;
      return;
    }
    this.#releaseSlot();
    this.#toReading(now);
  }

  #afterDrain(): void {
    const streaming = this.#more();
    streaming.drains++;
    const waiter = streaming.drainWaiter;
    if (waiter !== null) {
      streaming.drainWaiter = null;
      waiter();
      return;
    }
    if (this.#state !== S_DRAINING) return;
    this.#releaseSlot();
    this.#toReading(Date.now());
  }

  /** Returns the budget bytes the answered request's body held. */
  #releaseBody(): void {
    if (this.#bodyReserved === 0) return;
    this.#context.bodyBudget.release(this.#bodyReserved);
    this.#bodyReserved = 0;
  }

  #toReading(now: number): void {
    this.#state = S_READING;
    this.#setDeadline(K_IDLE, this.#context.limits.keepAliveTimeoutMs, now);
    // After its first answer a connection most often idles (a pool's spare, a one-off client):
    // it lets go of its parser now, not a second later. One that sends more gets a new parser,
    // kept from then on between requests until it idles.
    if (this.#requestsServed === 1) this.#trimIdle();
    const parser = this.#parserOrNull;
    if (
      (parser !== null && parser.bufferedBytes > 0) ||
      (this.#flags & F_PEER_ENDED) !== 0 ||
      (this.#flags & F_PAUSED) !== 0
    )
      this.#drive();
  }

  #releaseSlot(): void {
    if ((this.#flags & F_HAS_SLOT) !== 0) {
      this.#flags &= ~F_HAS_SLOT;
      this.#context.slots.release();
    }
  }

  /** The connection's endpoint with the domain of this request (SNI wins over Host). */
  #endpointFor(authority: string | null): Endpoint {
    const base = this.#endpoint;
    if (base.domain !== '' || authority === null || authority === '') return base;
    if (authority === this.#lastAuthority) return this.#lastEndpoint;
    let known = domainEndpoints.get(base);
    let endpoint = known?.get(authority);
    if (endpoint === undefined) {
      // Frozen: shared by the requests, and the connections, that name the same authority.
      endpoint = Object.freeze({
        ip: base.ip,
        port: base.port,
        domain: domainOfHost(authority),
        isTls: base.isTls,
      });
      if (known === undefined) {
        known = new Map();
        domainEndpoints.set(base, known);
      }
      if (known.size < MAX_DOMAIN_ENDPOINTS) known.set(authority, endpoint);
    }
    this.#lastAuthority = authority;
    this.#lastEndpoint = endpoint;
    return endpoint;
  }

  #startBodyTimers(now: number): void {
    this.#deadlineKind = K_BODY;
    const body = this.#more();
    body.startedAt = now;
    body.progressAt = now;
    body.progressBytes = this.#parser.bodyBytesRead;
  }

  /**
   * Hands the streamed body's bytes to its reader while it wants them; when its buffer is
   * full, stops reading the socket (backpressure) until the reader asks again. A body that
   * turns out malformed or too large is answered by the transport (400, 413) and closes.
   */
  #pumpBody(): void {
    const stream = this.#bodyStream;
    if (stream === null) return;
    const streaming = this.#more();
    if (!streaming.isBodyWanted || streaming.isPumpingBody) return;
    streaming.isPumpingBody = true;
    const parser = this.#parser;
    try {
      for (;;) {
        const step = parser.next();
        if (step === BODY_PIECE) {
          if (stream.push(parser.piece)) continue;
          streaming.isBodyWanted = false;
          streaming.pausedAt = Date.now();
          if ((this.#flags & F_PAUSED) === 0) {
            this.#flags |= F_PAUSED;
            this.#socket.pause();
          }
          return;
        }
        if (step === BODY_END) {
          this.#bodyStream = null;
          stream.push(null);
          this.#afterBody();
          return;
        }
        if (step === FAILED) {
          this.#failBody(parser.errorStatus, `request body refused: ${parser.errorReason}`);
          return;
        }
        if ((this.#flags & F_PEER_ENDED) !== 0) {
          this.#failBody(400, 'the client ended the connection inside the body');
          return;
        }
        this.#resumeSocket();
        return;
      }
    } finally {
      streaming.isPumpingBody = false;
    }
  }

  /** Reads the socket again if backpressure paused it. */
  #resumeSocket(): void {
    if ((this.#flags & F_PAUSED) === 0) return;
    this.#flags &= ~F_PAUSED;
    this.#socket.resume();
  }

  /** The reader of a streamed body wants more: the time it paused does not count against the client. */
  #resumeBody(): void {
    const streaming = this.#more();
    if (streaming.isBodyWanted || this.#bodyStream === null) return;
    streaming.isBodyWanted = true;
    const paused = Date.now() - streaming.pausedAt;
    streaming.startedAt += paused;
    streaming.progressAt += paused;
    this.#pumpBody();
  }

  /** The streamed body is complete: handler_timeout counts from now. */
  #afterBody(): void {
    if (
      this.#state === S_HANDLING &&
      this.#deadlineKind === K_BODY &&
      (this.#flags & F_RESPONSE_STARTED) === 0
    ) {
      const timeoutMs = this.#context.limits.handlerTimeoutMs;
      this.#deadlineKind = K_HANDLER;
      this.#deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Number.POSITIVE_INFINITY;
    }
    this.#resumeSocket();
  }

  #failBody(status: number, reason: string): void {
    this.#abortBody(new Error(reason));
    this.#context.log('debug', reason);
    if ((this.#flags & F_RESPONSE_STARTED) !== 0) this.#destroy();
    else this.#reject(status);
  }

  #abortBody(error: Error): void {
    const stream = this.#bodyStream;
    if (stream === null) return;
    this.#bodyStream = null;
    stream.abort(error);
  }

  /** Answers a protocol error or timeout the transport owns, and closes. */
  #reject(status: number): void {
    if (this.#state >= S_LINGER) return;
    this.#abortBody(new Error(`request answered ${status} by the transport`));
    if (this.#state === S_WAITING) this.#context.slots.cancel(this);
    this.#releaseSlot();
    this.#releaseBody();
    this.#parserOrNull?.dispose();
    this.#state = S_LINGER;
    this.#setDeadline(K_LINGER, LINGER_MS, Date.now());
    // Keep reading (and dropping) what the client still sends, so closing does not reset the
    // connection before it read the answer.
    if ((this.#flags & F_PAUSED) !== 0) this.#socket.resume();
    this.#socket.end(errorResponse(status), 'latin1');
  }

  /** Ends our side; the peer's FIN (or the linger deadline) then destroys the socket. */
  #endGracefully(now = Date.now()): void {
    if (this.#state >= S_LINGER) return;
    this.#state = S_LINGER;
    this.#setDeadline(K_LINGER, LINGER_MS, now);
    if ((this.#flags & F_PAUSED) !== 0) this.#socket.resume();
    this.#socket.end();
    if ((this.#flags & F_PEER_ENDED) !== 0) this.#destroy();
  }

  #setDeadline(kind: number, ms: number, now: number): void {
    if (ms <= 0) {
      this.#deadlineKind = K_NONE;
      return;
    }
    this.#deadlineKind = kind;
    this.#deadline = now + ms;
  }

  #destroy(): void {
    if (this.#state === S_CLOSED) return;
    if (this.#state === S_WAITING) this.#context.slots.cancel(this);
    this.#state = S_CLOSED;
    this.#deadlineKind = K_NONE;
    if (this.#streaming !== null) this.#streaming.pending = null;
    this.#abortBody(new Error('the connection closed before the body ended'));
    this.#releaseSlot();
    this.#releaseBody();
    this.#parserOrNull?.dispose();
    this.#socket.destroy();
    this.#abandonStream();
    // A large body waiting to be written in pieces is dropped with the socket.
    if (this.#streaming !== null) this.#streaming.drainWaiter = null;
    this.#context.onClosed(this);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
