import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import type { TransportLog } from '../connection/listener-context.js';
import { TransportError } from '../errors.js';

/** One SNI entry of a TLS listener (the seed's `host` list: host, cert_path, key_path). */
export interface SniHost {
  /** Server name, e.g. `example.com`; `*.example.com` matches one label below it. */
  readonly host: string;
  readonly certPath: string;
  readonly keyPath: string;
}

/** TLS settings of one listener (`SSL: true`). */
export interface TlsOptions {
  /** Default certificate (PEM file); may be empty when `sniHosts` is given (the first entry is the default). */
  readonly certPath: string;
  readonly keyPath: string;
  readonly sniHosts?: readonly SniHost[];
  /** Watch the files and swap contexts when they change (`update-cert-state`). */
  readonly watchCertificates?: boolean;
  /** How often watched files are checked (default 2000 ms). */
  readonly watchIntervalMs?: number;
  /** Handshakes not finished within this time are dropped (`ssl_handshake_timeout`; default 5000 ms). */
  readonly handshakeTimeoutMs?: number;
}

interface LoadedPair {
  readonly key: Buffer;
  readonly cert: Buffer;
  readonly context: tls.SecureContext;
}

interface LoadedSet {
  readonly fallback: LoadedPair;
  readonly exact: Map<string, tls.SecureContext>;
  readonly wildcard: Map<string, tls.SecureContext>;
}

/**
 * The secure contexts of one TLS listener, built once from the PEM files and reused by every
 * handshake (SNI picks one by server name). With `watchCertificates` the files are polled and
 * the contexts swapped in place: live connections keep their session, new handshakes get the
 * new certificate.
 */
export class CertificateStore {
  readonly #options: TlsOptions;
  readonly #log: TransportLog;
  #set: LoadedSet;
  #server: tls.Server | null = null;
  readonly #watched: string[] = [];
  readonly #onChange = () => this.reload();

  /**
   * Reads and checks every certificate and key.
   * @throws TransportError `BBWS_ERR_TRANSPORT_CERTIFICATE` naming the full paths of the pair that failed
   */
  constructor(options: TlsOptions, log: TransportLog) {
    this.#options = options;
    this.#log = log;
    this.#set = loadSet(options);
  }

  /** Key and certificate of the default context (clients without SNI, or an unknown name). */
  get defaultPair(): { readonly key: Buffer; readonly cert: Buffer } {
    return this.#set.fallback;
  }

  /** The `SNICallback` of the listener's tls.Server. */
  readonly sniCallback = (
    servername: string,
    callback: (error: Error | null, ctx?: tls.SecureContext) => void,
  ) => {
    callback(null, this.contextFor(servername));
  };

  /** The context for a server name; the default one when no entry matches. */
  contextFor(servername: string): tls.SecureContext {
    const set = this.#set;
    const name = servername.toLowerCase();
    const exact = set.exact.get(name);
    if (exact !== undefined) return exact;
    const dot = name.indexOf('.');
    if (dot !== -1) {
      const wildcard = set.wildcard.get(name.slice(dot + 1));
      if (wildcard !== undefined) return wildcard;
    }
    return set.fallback.context;
  }

  /** Starts polling the files; changes rebuild the contexts of `server`. */
  watch(server: tls.Server): void {
    this.#server = server;
    const interval = this.#options.watchIntervalMs ?? 2000;
    for (const file of certificateFiles(this.#options)) {
      fs.watchFile(file, { interval, persistent: false }, this.#onChange);
      this.#watched.push(file);
    }
  }

  /**
   * Rebuilds every context from the files. A pair that fails to load (a half-written file) is
   * logged with its paths and the previous contexts stay in use.
   */
  reload(): boolean {
    let set: LoadedSet;
    try {
      set = loadSet(this.#options);
    } catch (error) {
      this.#log('error', `certificate reload failed, keeping the previous ones: ${(error as Error).message}`);
      return false;
    }
    this.#set = set;
    this.#server?.setSecureContext({ key: set.fallback.key, cert: set.fallback.cert });
    this.#log('info', `certificates reloaded: ${certificateFiles(this.#options).join(', ')}`);
    return true;
  }

  /** Stops watching. */
  close(): void {
    for (const file of this.#watched) fs.unwatchFile(file, this.#onChange);
    this.#watched.length = 0;
  }
}

function certificateFiles(options: TlsOptions): string[] {
  const files: string[] = [];
  if (options.certPath !== '') files.push(path.resolve(options.certPath), path.resolve(options.keyPath));
  for (const host of options.sniHosts ?? [])
    files.push(path.resolve(host.certPath), path.resolve(host.keyPath));
  return files;
}

function loadPair(certPath: string, keyPath: string): LoadedPair {
  const certFile = path.resolve(certPath);
  const keyFile = path.resolve(keyPath);
  try {
    const cert = fs.readFileSync(certFile);
    const key = fs.readFileSync(keyFile);
    return { key, cert, context: tls.createSecureContext({ key, cert }) };
  } catch (error) {
    throw new TransportError(
      'BBWS_ERR_TRANSPORT_CERTIFICATE',
      `cannot load certificate ${certFile} with key ${keyFile}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function loadSet(options: TlsOptions): LoadedSet {
  const exact = new Map<string, tls.SecureContext>();
  const wildcard = new Map<string, tls.SecureContext>();
  let first: LoadedPair | null = null;
  for (const entry of options.sniHosts ?? []) {
    const pair = loadPair(entry.certPath, entry.keyPath);
    first ??= pair;
    const host = entry.host.toLowerCase();
    if (host.startsWith('*.')) wildcard.set(host.slice(2), pair.context);
    else exact.set(host, pair.context);
  }
  let fallback: LoadedPair;
  if (options.certPath !== '' || options.keyPath !== '') {
    fallback = loadPair(options.certPath, options.keyPath);
  } else if (first !== null) {
    fallback = first;
  } else {
    throw new TransportError(
      'BBWS_ERR_TRANSPORT_CERTIFICATE',
      'SSL is on but neither cert_path/key_path nor a host list with certificates is set',
    );
  }
  return { fallback, exact, wildcard };
}
