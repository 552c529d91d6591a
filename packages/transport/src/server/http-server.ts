import net from 'node:net';
import type { Duplex } from 'node:stream';
import { setImmediate as immediate } from 'node:timers';
import type tls from 'node:tls';
import type { Endpoint } from '@bbws/router';
import { AcceptQueue } from '../accept-queue/accept-queue.js';
import { RequestSlots } from '../accept-queue/request-slots.js';
import { Connection } from '../connection/connection.js';
import {
  DEFAULT_LIMITS,
  DEFAULT_MAX_BODY_BUFFER_TOTAL,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_IN_FLIGHT_TOTAL,
  type TransportLimits,
} from '../connection/limits.js';
import type { HttpsRedirect, ListenerContext, TransportLog } from '../connection/listener-context.js';
import type { RequestHandler } from '../connection/types.js';
import { TransportError } from '../errors.js';
import { type BodyBudget, SharedBodyBudget } from '../parser/body-buffer.js';
import type { RequestParser } from '../parser/request-parser.js';
import {
  ProxyHeaderReader,
  type ProxyProtocolCounts,
  type ProxyRefusalKind,
  ProxyRefusals,
} from '../proxy-protocol/proxy-header-reader.js';
import { errorResponse } from '../response/error-response.js';
import type { CertificateStore, TlsOptions } from '../tls/certificate-store.js';
import { type ListenerAddress, ListenerTable } from './listener-table.js';
import { TimeoutCounters, type TimeoutCounts, type TimeoutEvent } from './timeout-counters.js';

/** Overrides of the limits, all optional (`streamLimits` may be given in part). */
export type LimitOverrides = Partial<Omit<TransportLimits, 'streamLimits'>> & {
  readonly streamLimits?: Partial<TransportLimits['streamLimits']>;
};

/** One address to listen on (one `server` entry of config.json). */
export interface ListenerOptions {
  /** IP to bind; `'default'` binds all interfaces. IPv6 may be given in brackets. */
  readonly ip: string;
  readonly port: number;
  /** This listener's overrides of the server-wide limits. */
  readonly limits?: LimitOverrides;
  /** Serve TLS (`SSL: true`). */
  readonly tls?: TlsOptions;
  /** Answer every request with 301 to https, except the escape paths (`https-redirect`). */
  readonly httpsRedirect?: HttpsRedirect;
  /**
   * Every connection starts with a PROXY protocol header (v1 or v2): the client's address and
   * port are read from it (`proxy_protocol`). With `tls`, the header comes before the TLS
   * handshake. @see docs/proxies.md#proxy-protocol
   */
  readonly proxyProtocol?: boolean;
}

/** Options of {@link HttpServer}. */
export interface HttpServerOptions {
  readonly handler: RequestHandler;
  readonly listeners: readonly ListenerOptions[];
  /** Server-wide limits; each listener may override them. */
  readonly limits?: LimitOverrides;
  /** Requests in progress across all listeners (the global `max_threads`; default 4096). */
  readonly maxInFlightTotal?: number;
  /** Open connections (queued ones included) across all listeners; more get 503 (default 16384). */
  readonly maxConnections?: number;
  /** Sockets queued across all listeners (the seed's `connection_queue_size`; default 1024). */
  readonly maxQueuedTotal?: number;
  /**
   * Bytes all request bodies in progress may hold together, across listeners
   * (`max_body_buffer_total`; default 256 MiB). A body that does not fit is answered 503.
   */
  readonly maxBodyBufferTotal?: number;
  /** How long {@link HttpServer.close} waits for in-flight requests (default 10000 ms). */
  readonly stopTimeoutMs?: number;
  /** Where events are reported (default: errors and warnings to stderr). */
  readonly log?: TransportLog;
  /** Told about every timeout the server counts (408, 504, 503 for a slot, a stalled send). */
  readonly onTimeout?: (event: TimeoutEvent) => void;
}

/** An address a listener is bound to. */
export interface BoundAddress {
  readonly ip: string;
  readonly port: number;
  readonly isTls: boolean;
}

/** The listener a socket arrived on: its `close` listener is one function per server, not a closure per socket. */
const LISTENER = Symbol('bbws.listener');
type ListenedSocket = net.Socket & { [LISTENER]: ListenerState };

const REJECT_LINGER_MS = 2000;
/** The longest a stop keeps accepting what waits in the backlog before it closes the listeners. */
const MAX_STOP_ACCEPT_MS = 1000;

const defaultLog: TransportLog = (level, message) => {
  if (level === 'error' || level === 'warn') process.stderr.write(`[bbws transport] ${level}: ${message}\n`);
};

/** The per-listener state connections share. */
class ListenerState implements ListenerContext {
  readonly handler: RequestHandler;
  readonly limits: TransportLimits;
  readonly slots: RequestSlots;
  readonly counters: TimeoutCounters;
  readonly bodyBudget: BodyBudget;
  readonly httpsRedirect: HttpsRedirect | null;
  readonly log: TransportLog;
  readonly queue: AcceptQueue<net.Socket>;
  readonly onClosed: (connection: object) => void;
  readonly spareParsers: RequestParser[] = [];
  /** Whether connections start with a PROXY protocol header. */
  readonly proxyProtocol: boolean;
  isStopping = false;
  /** Sockets of this listener: admitted and queued. */
  open = 0;
  /** The endpoint plain connections share; one per local address (a wildcard bind may have several). */
  plainEndpoint: Endpoint | null = null;
  /** Whether the listener is bound to one address, so {@link plainEndpoint} is every plain socket's. */
  hasFixedAddress = false;

  constructor(
    limits: TransportLimits,
    slots: RequestSlots,
    httpsRedirect: HttpsRedirect | null,
    onClosed: (connection: object) => void,
    counters: TimeoutCounters,
    bodyBudget: BodyBudget,
    log: TransportLog,
    handler: RequestHandler,
    proxyProtocol: boolean,
  ) {
    this.handler = handler;
    this.proxyProtocol = proxyProtocol;
    this.limits = limits;
    this.slots = slots;
    this.counters = counters;
    this.bodyBudget = bodyBudget;
    this.httpsRedirect = httpsRedirect;
    this.log = log;
    this.queue = new AcceptQueue(limits.queueSize, limits.queueTimeoutMs);
    this.onClosed = onClosed;
  }
}

/**
 * The HTTP/1.1 server: one `net.Server` (or `tls.Server`) per listener, one
 * {@link Connection} per socket, an accept queue and request slots per listener, and one
 * sweep timer that enforces every timeout. {@link HttpServer.serve} runs any Duplex through the
 * same code (the in-memory transport).
 * @see docs/transport.md
 */
export class HttpServer {
  readonly #options: HttpServerOptions;
  readonly #limits: TransportLimits;
  readonly #log: TransportLog;
  readonly #globalSlots: RequestSlots;
  readonly #maxConnections: number;
  readonly #maxQueuedTotal: number;
  readonly #counters: TimeoutCounters;
  readonly #bodyBudget: SharedBodyBudget;
  /** Sockets open on the listeners: admitted, queued, and TLS sockets still in their handshake. */
  #openSockets = 0;
  /** Sockets accepted so far (a stop waits until the backlog yields no more). */
  #acceptedSockets = 0;
  readonly #connections = new Set<Connection>();
  /** Sockets of PROXY protocol listeners whose header is still being read. */
  readonly #proxyReaders = new Set<ProxyHeaderReader>();
  readonly #proxyRefusals = new ProxyRefusals();
  /**
   * The clients of TLS sockets on PROXY listeners, by the TCP connection's four-tuple: the
   * header is read before the handshake, and the TLS socket the handshake yields shares the
   * TCP socket's addresses. Removed when that socket closes.
   */
  readonly #tlsPeers = new Map<string, { readonly address: string; readonly port: number }>();
  readonly #contexts: ListenerState[] = [];
  readonly #servers: net.Server[] = [];
  readonly #stores: CertificateStore[] = [];
  readonly #onClosed = (connection: object) => this.#forget(connection as Connection);
  /** One context per configured listener, built here: `serve()` and `listen()` share them. */
  readonly #listeners: ListenerTable<ListenerState>;
  /** The context of a server without listeners: server-wide limits for any endpoint. */
  #defaultContext: ListenerState | null = null;
  #queued = 0;
  #sweep: NodeJS.Timeout | null = null;
  #isStopping = false;
  #isDraining = false;
  #closing: Promise<void> | null = null;
  #onAllGone: (() => void) | null = null;
  /** `close` of a plain socket: frees its open place, and its place in the queue if it waits. */
  readonly #onPlainSocketClose: (this: ListenedSocket) => void;
  /** `close` of a TLS socket (its open place belongs to its TCP socket). */
  readonly #onTlsSocketClose: (this: ListenedSocket) => void;

  constructor(options: HttpServerOptions) {
    const server = this;
    this.#onPlainSocketClose = function (this: ListenedSocket) {
      server.#leaveOpenPlace(this[LISTENER]);
      server.#leaveQueue(this);
      Connection.socketClosed(this);
    };
    this.#onTlsSocketClose = function (this: ListenedSocket) {
      server.#leaveQueue(this);
      Connection.socketClosed(this);
    };
    this.#options = options;
    this.#limits = mergeLimits(DEFAULT_LIMITS, options.limits);
    this.#log = options.log ?? defaultLog;
    this.#counters = new TimeoutCounters(options.onTimeout ?? null);
    this.#globalSlots = new RequestSlots(options.maxInFlightTotal ?? DEFAULT_MAX_IN_FLIGHT_TOTAL);
    this.#maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.#maxQueuedTotal = options.maxQueuedTotal ?? 1024;
    this.#bodyBudget = new SharedBodyBudget(options.maxBodyBufferTotal ?? DEFAULT_MAX_BODY_BUFFER_TOTAL);
    this.#listeners = new ListenerTable(
      options.listeners.map((listener) => ({
        ip: listener.ip,
        port: listener.port,
        isTls: listener.tls !== undefined,
        proxyProtocol: listener.proxyProtocol === true,
        context: this.#createContext(listener),
      })),
    );
  }

  /** Bytes the request bodies in progress hold now (against `maxBodyBufferTotal`). */
  get bodyBufferBytes(): number {
    return this.#bodyBudget.usedBytes;
  }

  /** Open connections (served ones; queued sockets not included). */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Requests in progress across all listeners. */
  get inFlight(): number {
    return this.#globalSlots.inFlight;
  }

  /**
   * Timeouts answered so far, per category: `timeouts.header` (408, head too slow),
   * `timeouts.body` (408, body below the minimum rate), `timeouts.handler` (504).
   */
  timeoutCounts(): TimeoutCounts {
    return this.#counters.snapshot();
  }

  /**
   * Connections refused on PROXY protocol listeners, per reason: no header
   * (`proxy_protocol.missing`), a header that breaks the spec (`proxy_protocol.malformed`), a
   * header not complete within header_timeout (`proxy_protocol.timeout`).
   */
  proxyProtocolCounts(): ProxyProtocolCounts {
    return this.#proxyRefusals.snapshot();
  }

  /**
   * Binds every listener. Resolves with the bound addresses (port 0 becomes the real port). A
   * TLS listener whose certificates fail to load is logged with the file paths and skipped. An
   * `httpsRedirect` naming a `tlsListener` gets that listener's bound port. After a rejection,
   * {@link HttpServer.close} closes whatever did bind.
   * @throws TransportError `BBWS_ERR_TRANSPORT_LISTEN` when an address cannot be bound;
   *   `BBWS_ERR_TRANSPORT_NO_LISTENER` when listeners were given and none started (each one's
   *   ip:port and why in the message), so a process does not run listening on nothing
   */
  async listen(): Promise<BoundAddress[]> {
    const listeners = this.#options.listeners;
    const bound: BoundAddress[] = [];
    const boundPorts: Array<number | undefined> = [];
    // Redirects to a TLS listener learn its port once it is bound (port 0 picks one).
    const toTlsListener: Array<[redirect: { port?: number }, tlsListener: number]> = [];
    const failures: Array<{ readonly listener: string; readonly error: Error }> = [];
    for (const [index, options] of listeners.entries()) {
      const context = this.#listeners.contextAt(index);
      const redirect = context.httpsRedirect as { port?: number; tlsListener?: number } | null;
      const tlsListener = options.httpsRedirect?.port === undefined ? redirect?.tlsListener : undefined;
      if (redirect !== null && tlsListener !== undefined) toTlsListener.push([redirect, tlsListener]);
      let server: net.Server;
      if (options.tls !== undefined) {
        // TLS code loads with the first TLS listener, not at start (docs/architecture.md).
        const [{ default: tls }, { CertificateStore }] = await Promise.all([
          import('node:tls'),
          import('../tls/certificate-store.js'),
        ]);
        let store: CertificateStore;
        try {
          store = new CertificateStore(options.tls, this.#log);
        } catch (error) {
          const ip = options.ip.includes(':') && !options.ip.startsWith('[') ? `[${options.ip}]` : options.ip;
          const failure = { listener: `${ip}:${options.port}`, error: error as Error };
          this.#log('error', `listener ${failure.listener} not started: ${failure.error.message}`);
          failures.push(failure);
          continue;
        }
        const tlsServer = tls.createServer({
          ...store.defaultPair,
          SNICallback: store.sniCallback,
          handshakeTimeout: options.tls.handshakeTimeoutMs ?? 5000,
          allowHalfOpen: true,
          noDelay: true,
        });
        if (options.proxyProtocol === true) {
          // The PROXY header comes before the TLS handshake: a plain server accepts and reads
          // it, then hands the socket to the TLS server (Node's documented way to inject a
          // connection), whose handshake starts on the bytes after the header.
          server = net.createServer({ allowHalfOpen: true, noDelay: true }, (raw) =>
            this.#onProxiedTlsConnection(raw, context, tlsServer),
          );
        } else {
          // Counted from the TCP accept, so sockets still in their handshake hold a place under
          // max_connections; over the cap they are dropped before any TLS work.
          tlsServer.on('connection', (raw: net.Socket) => this.#onTlsConnection(raw, context));
          server = tlsServer;
        }
        tlsServer.on('secureConnection', (socket: tls.TLSSocket) => this.#onSocket(socket, context, true));
        // Handshake failures and ssl_handshake_timeout land here; Node leaves the socket open.
        tlsServer.on('tlsClientError', (error, socket) => {
          this.#log('debug', `TLS handshake failed: ${error.message}`);
          socket.destroy();
        });
        if (options.tls.watchCertificates === true) store.watch(tlsServer);
        this.#stores.push(store);
      } else {
        server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) =>
          this.#onSocket(socket, context, false),
        );
      }
      const host = options.ip === 'default' ? undefined : stripBrackets(options.ip);
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) =>
          reject(
            new TransportError(
              'BBWS_ERR_TRANSPORT_LISTEN',
              `cannot listen on ${options.ip}:${options.port}: ${error.message}`,
              { cause: error },
            ),
          );
        server.once('error', onError);
        server.listen({ host, port: options.port }, () => {
          server.off('error', onError);
          resolve();
        });
      });
      server.on('error', (error) =>
        this.#log('error', `listener ${options.ip}:${options.port}: ${error.message}`),
      );
      const address = server.address() as net.AddressInfo;
      this.#listeners.bind(context, address.port);
      if (options.tls === undefined && address.address !== '0.0.0.0' && address.address !== '::') {
        // Bound to one address: every socket's local address is it, so nobody asks the socket.
        context.hasFixedAddress = true;
        context.plainEndpoint = Object.freeze({
          ip: normalizeIp(address.address),
          port: address.port,
          domain: '',
          isTls: false,
        });
      }
      bound.push({ ip: address.address, port: address.port, isTls: options.tls !== undefined });
      boundPorts[index] = address.port;
      this.#servers.push(server);
    }
    for (const [redirect, tlsListener] of toTlsListener) {
      // A TLS listener that did not start: its configured port, if it names one, is still the
      // best guess (another process may serve it); port 0 names none.
      const port = boundPorts[tlsListener] ?? listeners[tlsListener]?.port;
      if (port !== undefined && port !== 0) redirect.port = port;
    }
    if (bound.length === 0 && failures.length > 0) {
      throw new TransportError(
        'BBWS_ERR_TRANSPORT_NO_LISTENER',
        `no listener started:\n${failures
          .map((failure) => `  ${failure.listener}: ${failure.error.message}`)
          .join('\n')}`,
        { cause: new AggregateError(failures.map((failure) => failure.error)) },
      );
    }
    this.#startSweep();
    return bound;
  }

  /**
   * Serves one Duplex (a socket or an in-memory stream) as a connection that arrived on
   * `endpoint`: it goes through the listener a socket to that address would be accepted by
   * (its limits, request slots, https-redirect), whether or not {@link HttpServer.listen} ran.
   * The listener is the one on `endpoint.port` (a port-0 listener also answers to its bound
   * port), by `endpoint.ip` when several share the port. A server without listeners serves
   * any endpoint with the server-wide limits. The in-memory transport and TestClient use it.
   * On a `proxyProtocol` listener the stream starts with a PROXY header, as a socket does; the
   * connection is made once it is read, so `null` is returned.
   * @throws TransportError `BBWS_ERR_TRANSPORT_NO_LISTENER` when no listener has that port,
   * or its TLS flag is not `endpoint.isTls`; the message lists the configured listeners
   * @see docs/testing.md
   */
  serve(stream: Duplex, endpoint: Endpoint, remoteAddress: string): Connection | null {
    let context: ListenerState;
    if (this.#listeners.isEmpty) {
      this.#defaultContext ??= this.#createContext(null);
      context = this.#defaultContext;
    } else {
      context = this.#listeners.find(endpoint.ip, endpoint.port, endpoint.isTls);
    }
    this.#startSweep();
    if (context.proxyProtocol) {
      this.#readProxyHeader(stream, context, endpoint, remoteAddress, 0);
      return null;
    }
    return this.#connect(stream, context, endpoint, remoteAddress, 0);
  }

  /**
   * Where a request to a listener arrives in memory: the listener on `port` (default: the
   * first), chosen by `ip` when several share the port. Its IP (`127.0.0.1` for all
   * interfaces), its port (the bound one after {@link HttpServer.listen}) and TLS flag.
   * `null` for a server without listeners.
   * @throws TransportError `BBWS_ERR_TRANSPORT_NO_LISTENER` as {@link HttpServer.serve} does
   */
  listenerFor(ip: string | undefined, port: number | undefined, isTls?: boolean): ListenerAddress | null {
    return this.#listeners.isEmpty ? null : this.#listeners.addressOf(ip, port, isTls);
  }

  /** Whether {@link HttpServer.drain} (or a stop) has begun: responses carry `Connection: close`. */
  get isDraining(): boolean {
    return this.#isDraining;
  }

  /**
   * Draining, the first half of a stop: the listeners keep accepting and every request is still
   * served, but each response from now on carries `Connection: close` and its connection closes
   * after it (a request whose answer has already begun keeps its head; its connection closes
   * when it ends). Idle kept-alive connections stay open until their next request, which gets
   * the same answer, or their keep-alive timeout: closing them now would race a request the
   * client may be sending. A load balancer that has not yet seen the instance go unready is
   * served, not refused. {@link HttpServer.close} ends it. @see docs/processes.md#draining
   */
  drain(): void {
    if (this.#isDraining) return;
    this.#isDraining = true;
    for (const context of this.#contexts) context.isStopping = true;
    for (const connection of this.#connections) connection.refuseKeepAlive();
  }

  /**
   * Graceful stop: stops accepting, closes idle keep-alive connections, lets requests in
   * progress finish (their responses carry `Connection: close`), and resolves when every
   * connection is gone. What is still open after `timeoutMs` is destroyed.
   */
  close(timeoutMs = this.#options.stopTimeoutMs ?? 10_000): Promise<void> {
    this.#closing ??= this.#stop(timeoutMs);
    return this.#closing;
  }

  async #stop(timeoutMs: number): Promise<void> {
    // From now on every response says Connection: close.
    this.drain();
    // What reached the server before the stop began is answered: one poll phase of the event
    // loop accepts the connections waiting in the kernel's backlog, the next reads the bytes
    // that already arrived, so a connection with a request on its way is busy, not idle.
    await this.#acceptWhatArrived();
    this.#isStopping = true;
    // A socket still waiting for its PROXY header has sent no request: it is idle.
    for (const reader of this.#proxyReaders) reader.destroy();
    this.#proxyReaders.clear();
    for (const store of this.#stores) store.close();
    const closing = this.#servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    // Sockets still queued were accepted: admit them; they are answered with Connection: close.
    for (const context of this.#contexts) {
      for (const socket of context.queue.drain()) {
        this.#setQueued(-1);
        this.#admit(socket, context, isTlsSocket(socket));
      }
    }
    for (const connection of this.#connections) connection.beginStop();
    if (this.#connections.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#onAllGone = resolve;
        timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
      this.#onAllGone = null;
      for (const connection of this.#connections) connection.destroy();
    }
    await Promise.all(closing);
    if (this.#sweep !== null) clearInterval(this.#sweep);
    this.#sweep = null;
  }

  /**
   * Lets the event loop accept the connections waiting in the kernel's backlog (libuv takes
   * about one per poll phase) and read the bytes they and the open connections hold: poll
   * phases until one accepts nothing, at most {@link MAX_STOP_ACCEPT_MS}.
   */
  async #acceptWhatArrived(): Promise<void> {
    const until = Date.now() + MAX_STOP_ACCEPT_MS;
    let before: number;
    do {
      before = this.#acceptedSockets;
      await nextPollPhase();
    } while (this.#acceptedSockets !== before && Date.now() < until);
  }

  /** The context of one listener (its overrides of the limits), or the server-wide one. */
  #createContext(listener: ListenerOptions | null): ListenerState {
    const limits = mergeLimits(this.#limits, listener?.limits);
    const slots = new RequestSlots(limits.maxInFlight, this.#globalSlots);
    const context = new ListenerState(
      limits,
      slots,
      httpsRedirectOf(listener, this.#options.listeners),
      this.#onClosed,
      this.#counters,
      this.#bodyBudget,
      this.#log,
      this.#options.handler,
      listener?.proxyProtocol === true,
    );
    slots.onFree = () => this.#admitQueued(context);
    context.isStopping = this.#isDraining;
    this.#contexts.push(context);
    return context;
  }

  /** The accept loop: admit, queue, or answer 503. Never waits. */
  #onSocket(socket: net.Socket, context: ListenerState, isTls: boolean): void {
    this.#acceptedSockets++;
    if (this.#isStopping) {
      socket.destroy();
      return;
    }
    if (!isTls && !this.#takeOpenPlace(context)) {
      this.#log('warn', `open connection cap reached on ${socket.localAddress}:${socket.localPort}: 503`);
      rejectSocket(socket);
      return;
    }
    (socket as ListenedSocket)[LISTENER] = context;
    socket.on('close', isTls ? this.#onTlsSocketClose : this.#onPlainSocketClose);
    if (context.queue.size === 0 && context.slots.hasRoom) {
      this.#admit(socket, context, isTls);
      return;
    }
    if (this.#queued >= this.#maxQueuedTotal || !context.queue.push(socket, Date.now())) {
      rejectSocket(socket);
      return;
    }
    this.#setQueued(1);
    socket.on('error', () => socket.destroy());
  }

  /** A TLS listener's TCP socket, before its handshake: it takes its open place now (false: dropped). */
  #onTlsConnection(raw: net.Socket, context: ListenerState): boolean {
    this.#acceptedSockets++;
    if (this.#isStopping || !this.#takeOpenPlace(context)) {
      if (!this.#isStopping)
        this.#log('warn', `open connection cap reached on ${raw.localAddress}:${raw.localPort}: dropped`);
      raw.destroy();
      return false;
    }
    // Freed when the TCP socket closes. A client that leaves during its handshake keeps its place
    // until ssl_handshake_timeout: the TLS layer owns the socket then and reports no FIN.
    raw.once('close', () => this.#leaveOpenPlace(context));
    return true;
  }

  /** A TLS PROXY listener's TCP socket: its header first, then the TLS server gets the socket. */
  #onProxiedTlsConnection(raw: net.Socket, context: ListenerState, tlsServer: tls.Server): void {
    if (!this.#onTlsConnection(raw, context)) return;
    const listener = `${normalizeIp(raw.localAddress ?? '')}:${raw.localPort}`;
    const remoteAddress = normalizeIp(raw.remoteAddress ?? '');
    const reader: ProxyHeaderReader = new ProxyHeaderReader(
      raw,
      context.limits.headerTimeoutMs,
      Date.now(),
      (source, rest) => {
        this.#proxyReaders.delete(reader);
        if (source !== null) {
          const key = fourTuple(raw);
          this.#tlsPeers.set(key, source);
          raw.once('close', () => this.#tlsPeers.delete(key));
        }
        // Bytes after the header are the ClientHello: the TLS socket reads what the TCP socket holds.
        if (rest !== null) raw.unshift(rest);
        tlsServer.emit('connection', raw);
      },
      (kind, reason) => this.#refusedProxyHeader(reader, kind, reason, remoteAddress, listener),
    );
    this.#proxyReaders.add(reader);
  }

  #refusedProxyHeader(
    reader: ProxyHeaderReader,
    kind: ProxyRefusalKind,
    reason: string,
    remoteAddress: string,
    listener: string,
  ): void {
    this.#proxyReaders.delete(reader);
    this.#proxyRefusals[kind]++;
    this.#log('warn', `PROXY protocol: ${reason} from ${remoteAddress} on ${listener}: refused`);
  }

  /** Counts a socket against max_connections (server-wide and the listener's); false when full. */
  #takeOpenPlace(context: ListenerState): boolean {
    if (this.#openSockets >= this.#maxConnections || context.open >= context.limits.maxConnections)
      return false;
    this.#openSockets++;
    context.open++;
    return true;
  }

  #leaveOpenPlace(context: ListenerState): void {
    this.#openSockets--;
    context.open--;
  }

  /** A socket closed: if it was still waiting in its listener's queue, it leaves it. */
  #leaveQueue(socket: ListenedSocket): void {
    const queue = socket[LISTENER].queue;
    if (queue.size > 0 && queue.remove(socket)) this.#setQueued(-1);
  }

  #admit(socket: net.Socket, context: ListenerState, isTls: boolean): void {
    let endpoint: Endpoint;
    if (isTls) {
      const servername = (socket as tls.TLSSocket).servername;
      // Frozen: every request on the connection shares it, so no handler may change it for the next.
      endpoint = Object.freeze({
        ip: normalizeIp(socket.localAddress ?? ''),
        port: socket.localPort ?? 0,
        domain: typeof servername === 'string' ? servername.toLowerCase() : '',
        isTls,
      });
    } else {
      endpoint = plainEndpointOf(socket, context);
    }
    let remoteAddress: string;
    let remotePort: number;
    if (readPeer(socket)) {
      remoteAddress = internAddress(normalizeIp(PEER.address ?? ''));
      remotePort = PEER.port ?? 0;
    } else {
      remoteAddress = normalizeIp(socket.remoteAddress ?? '');
      remotePort = socket.remotePort ?? 0;
    }
    if (context.proxyProtocol) {
      if (!isTls) {
        this.#readProxyHeader(socket, context, endpoint, remoteAddress, remotePort);
        return;
      }
      // Read before the handshake (#onProxiedTlsConnection); absent for LOCAL and UNSPEC.
      const peer = this.#tlsPeers.get(fourTuple(socket));
      if (peer !== undefined) {
        remoteAddress = normalizeIp(peer.address);
        remotePort = peer.port;
      }
    }
    // Plain TCP without a PROXY header: reads go through the shared buffer (shared-reads.ts).
    this.#connect(socket, context, endpoint, remoteAddress, remotePort, !isTls && !context.proxyProtocol);
  }

  #connect(
    stream: Duplex,
    context: ListenerState,
    endpoint: Endpoint,
    remoteAddress: string,
    remotePort: number,
    readsShared = false,
  ): Connection {
    // A listened socket's close is heard by the server (#onPlainSocketClose, #onTlsSocketClose).
    const isCloseHeard = (stream as Partial<ListenedSocket>)[LISTENER] !== undefined;
    const connection = new Connection(
      stream,
      endpoint,
      remoteAddress,
      context,
      remotePort,
      isCloseHeard,
      readsShared,
    );
    this.#connections.add(connection);
    return connection;
  }

  /**
   * A PROXY protocol listener's connection: the header is read first, then the connection
   * is made with the client's address and port from it (or the socket's, for a header that
   * carries none), and the bytes after the header are its first bytes.
   */
  #readProxyHeader(
    stream: Duplex,
    context: ListenerState,
    endpoint: Endpoint,
    remoteAddress: string,
    remotePort: number,
  ): void {
    const reader: ProxyHeaderReader = new ProxyHeaderReader(
      stream,
      context.limits.headerTimeoutMs,
      Date.now(),
      (source, rest) => {
        this.#proxyReaders.delete(reader);
        const address = source === null ? remoteAddress : normalizeIp(source.address);
        const port = source === null ? remotePort : source.port;
        this.#connect(stream, context, endpoint, address, port);
        if (rest !== null) stream.unshift(rest);
        stream.resume();
      },
      (kind, reason) =>
        this.#refusedProxyHeader(reader, kind, reason, remoteAddress, `${endpoint.ip}:${endpoint.port}`),
    );
    this.#proxyReaders.add(reader);
  }

  /** Slots are free on `context`: admit queued sockets, at most one per free slot. */
  #admitQueued(context: ListenerState): void {
    let free = context.slots.max - context.slots.inFlight;
    while (free > 0 && context.queue.size > 0) {
      const socket = context.queue.shift() as net.Socket;
      this.#setQueued(-1);
      if (socket.destroyed) continue;
      free--;
      this.#admit(socket, context, isTlsSocket(socket));
    }
  }

  #setQueued(delta: number): void {
    this.#queued += delta;
    this.#globalSlots.hasQueuedSockets = this.#queued > 0;
  }

  #forget(connection: Connection): void {
    this.#connections.delete(connection);
    if (this.#connections.size === 0 && this.#queued === 0) this.#onAllGone?.();
  }

  #startSweep(): void {
    if (this.#sweep !== null || this.#isStopping) return;
    const period = sweepPeriod(this.#limits, this.#options.listeners);
    this.#sweep = setInterval(() => this.#tick(), period);
    this.#sweep.unref();
  }

  /** Enforces every deadline: one pass over the connections and the accept queues. */
  #tick(): void {
    const now = Date.now();
    // forEach, not for-of: the sweep runs a few times a second, too rarely to be optimised, and
    // an unoptimised for-of makes an iterator result per connection (garbage an idle server made).
    this.#connections.forEach(tickConnection, now);
    for (const reader of this.#proxyReaders) {
      reader.tick(now);
      if (reader.isFinished) this.#proxyReaders.delete(reader);
    }
    for (const context of this.#contexts) {
      if (context.queue.size === 0) continue;
      for (const socket of context.queue.expire(now)) {
        this.#setQueued(-1);
        rejectSocket(socket);
      }
    }
  }
}

/** One connection's part of the sweep; `this` is the sweep's clock reading. */
function tickConnection(this: number, connection: Connection): void {
  connection.tick(this);
}

/** The frozen endpoint of a plain socket, shared with the listener's other sockets on the same address. */
function plainEndpointOf(socket: net.Socket, context: ListenerState): Endpoint {
  const shared = context.plainEndpoint;
  if (context.hasFixedAddress && shared !== null) return shared;
  const ip = normalizeIp(socket.localAddress ?? '');
  const port = socket.localPort ?? 0;
  if (shared !== null && shared.ip === ip && shared.port === port) return shared;
  const endpoint: Endpoint = Object.freeze({ ip, port, domain: '', isTls: false });
  context.plainEndpoint = endpoint;
  return endpoint;
}

/**
 * The listener's https-redirect as its own object: `listen()` writes the bound port of the TLS
 * listener it names into it. Until then that listener's configured port (unless 0) is used, so
 * an in-memory request is redirected as a socket would be.
 */
function httpsRedirectOf(
  listener: ListenerOptions | null,
  listeners: readonly ListenerOptions[],
): HttpsRedirect | null {
  const redirect = listener?.httpsRedirect;
  if (redirect === undefined) return null;
  if (redirect.port !== undefined || redirect.tlsListener === undefined) return { ...redirect };
  const port = listeners[redirect.tlsListener]?.port;
  return port === undefined || port === 0 ? { ...redirect } : { ...redirect, port };
}

/** Resolves after the event loop went through one more poll phase (two check phases from now). */
async function nextPollPhase(): Promise<void> {
  // node:timers' own function: a test that fakes the global timers can still stop a server.
  await new Promise((resolve) => immediate(resolve));
  await new Promise((resolve) => immediate(resolve));
}

/** Answers 503 to a socket that is not admitted, and closes it. */
function rejectSocket(socket: net.Socket): void {
  socket.on('error', () => socket.destroy());
  socket.resume();
  socket.end(errorResponse(503), 'latin1');
  setTimeout(() => socket.destroy(), REJECT_LINGER_MS).unref();
}

function mergeLimits(base: TransportLimits, overrides: LimitOverrides | undefined): TransportLimits {
  if (overrides === undefined) return base;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) merged[key] = value;
  merged.streamLimits = Object.freeze({ ...base.streamLimits, ...withoutUndefined(overrides.streamLimits) });
  return Object.freeze(merged) as unknown as TransportLimits;
}

function withoutUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A quarter of the shortest timeout, between 10 ms and 250 ms. */
function sweepPeriod(limits: TransportLimits, listeners: readonly ListenerOptions[]): number {
  let shortest = 1000;
  const consider = (l: Partial<TransportLimits> | undefined) => {
    for (const ms of [
      l?.headerTimeoutMs,
      l?.handlerTimeoutMs,
      l?.keepAliveTimeoutMs,
      l?.queueTimeoutMs,
      l?.bodyIdleTimeoutMs,
      l?.sendTimeoutMs,
    ]) {
      if (ms !== undefined && ms > 0 && ms < shortest) shortest = ms;
    }
  };
  consider(limits);
  for (const listener of listeners) consider(listener.limits as Partial<TransportLimits> | undefined);
  return Math.min(250, Math.max(10, Math.floor(shortest / 4)));
}

/**
 * Where {@link readPeer} puts a socket's peer address. Node's `remoteAddress` would keep an
 * object of its own on every socket (`_peername`, with its strings): 10,000 idle connections
 * held 1 MiB of them. The handle fills this one object instead.
 */
const PEER: { address?: string; port?: number; family?: string } = {};

/** Reads the peer address of `socket` into {@link PEER}; false when its handle cannot say. */
function readPeer(socket: net.Socket): boolean {
  const handle = (socket as unknown as { _handle?: { getpeername?: (out: object) => number } })._handle;
  if (handle === undefined || handle === null || typeof handle.getpeername !== 'function') return false;
  PEER.address = undefined;
  PEER.port = undefined;
  return handle.getpeername(PEER) === 0 && typeof PEER.address === 'string';
}

/**
 * One string per client address, shared by its connections (behind a proxy, or a client with
 * many connections, that is most of them). At most {@link MAX_INTERNED_ADDRESSES}: past that
 * the table starts over, which costs only the sharing.
 */
const internedAddresses = new Map<string, string>();
const MAX_INTERNED_ADDRESSES = 1024;

function internAddress(ip: string): string {
  const known = internedAddresses.get(ip);
  if (known !== undefined) return known;
  if (internedAddresses.size >= MAX_INTERNED_ADDRESSES) internedAddresses.clear();
  internedAddresses.set(ip, ip);
  return ip;
}

/** A TCP connection's identity while it is open: both addresses and ports. */
function fourTuple(socket: net.Socket): string {
  return `${socket.remoteAddress}|${socket.remotePort}|${socket.localAddress}|${socket.localPort}`;
}

function stripBrackets(ip: string): string {
  return ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}

/** `::ffff:127.0.0.1` (an IPv4 client on a dual-stack listener) → `127.0.0.1`. */
function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/** Whether `socket` is a TLS socket (tls.TLSSocket sets `encrypted`), without loading node:tls. */
function isTlsSocket(socket: net.Socket): boolean {
  return (socket as { encrypted?: unknown }).encrypted === true;
}
