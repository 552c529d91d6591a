import type {
  HttpServerOptions,
  HttpsRedirect,
  LimitOverrides,
  ListenerOptions,
  RequestHandler,
  TlsOptions,
  TransportLog,
} from '@bbws/transport';
import type { Config } from '../config/config-schema.js';

/** A config object read by key: global limits, or one `server` entry with its overrides. */
type Keys = Readonly<Record<string, unknown>>;

function numberAt(source: Keys, key: string): number | undefined {
  const value = source[key];
  return typeof value === 'number' ? value : undefined;
}

function secondsAt(source: Keys, key: string): number | undefined {
  const value = numberAt(source, key);
  return value === undefined ? undefined : Math.round(value * 1000);
}

/**
 * The limits one config level sets (seed key names, seconds) as transport limits (ms,
 * camelCase); keys the level does not set stay undefined, so a server entry inherits them.
 */
function limitsAt(source: Keys): LimitOverrides {
  return {
    maxUrlLength: numberAt(source, 'max_url_length'),
    maxHeaderBytes: numberAt(source, 'max_header_size'),
    maxBodyBytes: numberAt(source, 'max_body_size'),
    headerTimeoutMs: secondsAt(source, 'header_timeout'),
    bodyMinBytesPerSec: numberAt(source, 'body_min_rate_bytes_per_sec'),
    bodyIdleTimeoutMs: secondsAt(source, 'body_idle_timeout'),
    sendTimeoutMs: secondsAt(source, 'send_timeout'),
    handlerTimeoutMs: secondsAt(source, 'handler_timeout'),
    keepAliveTimeoutMs: secondsAt(source, 'keep_alive_timeout'),
    keepAliveMaxRequests: numberAt(source, 'keep_alive_max_requests'),
    maxInFlight: numberAt(source, 'max_threads'),
    queueSize: numberAt(source, 'queue_size'),
    queueTimeoutMs: secondsAt(source, 'connection_queue_timeout'),
    maxConnections: numberAt(source, 'max_connections'),
    streamLimits: {
      maxChunkBytes: numberAt(source, 'stream_max_chunk_size'),
      maxTotalBytes: numberAt(source, 'stream_max_total_bytes'),
      maxDurationMs: secondsAt(source, 'stream_max_duration'),
      idleTimeoutMs: secondsAt(source, 'stream_idle_timeout'),
    },
  };
}

/** `SSL: true` of a server entry as TLS options (default certificate, SNI list, reload). */
function tlsAt(server: Keys, handshakeTimeoutMs: number | undefined): TlsOptions | undefined {
  if (server.SSL !== true) return undefined;
  const hosts = Array.isArray(server.host) ? (server.host as Keys[]) : [];
  return {
    certPath: typeof server.cert_path === 'string' ? server.cert_path : '',
    keyPath: typeof server.key_path === 'string' ? server.key_path : '',
    sniHosts: hosts.map((h) => ({
      host: String(h.host),
      certPath: String(h.cert_path),
      keyPath: String(h.key_path),
    })),
    watchCertificates: server['update-cert-state'] === true,
    handshakeTimeoutMs,
  };
}

/**
 * Where a plain `https-redirect` entry sends clients: its `https_port`, else the app's TLS
 * listener (the one on the same ip, else the first), whose bound port the transport puts in
 * the URL; with neither, port 443.
 */
function httpsRedirectAt(config: Config, index: number): HttpsRedirect | undefined {
  const entry = config.server[index];
  if (entry === undefined || !entry['https-redirect'] || entry.SSL) return undefined;
  const escapePaths = entry['https-redirect-escape-paths'];
  if (entry.https_port !== undefined) return { escapePaths, port: entry.https_port };
  const tlsIndexes = config.server.flatMap((server, at) => (server.SSL ? [at] : []));
  const tlsListener = tlsIndexes.find((at) => config.server[at]?.ip === entry.ip) ?? tlsIndexes[0];
  return tlsListener === undefined ? { escapePaths } : { escapePaths, tlsListener };
}

/**
 * Maps the validated config (seed key names, seconds) onto the transport's options (ms,
 * camelCase): global limits, one listener per `server` entry with its overrides, TLS and
 * https-redirect. See docs/transport.md for what each limit means on an event loop.
 * @param log where the transport reports events (default: stderr)
 */
export function transportOptionsFromConfig(
  config: Config,
  handler: RequestHandler,
  log?: TransportLog,
): HttpServerOptions {
  const global = config as unknown as Keys;
  const listeners: ListenerOptions[] = config.server.map((entry, index) => {
    const server = entry as unknown as Keys;
    const tls = tlsAt(
      server,
      secondsAt(server, 'ssl_handshake_timeout') ?? secondsAt(global, 'ssl_handshake_timeout'),
    );
    return {
      ip: entry.ip,
      port: entry.port,
      limits: limitsAt(server),
      tls,
      httpsRedirect: httpsRedirectAt(config, index),
    };
  });
  const globalLimits = limitsAt(global);
  return {
    handler,
    listeners,
    limits: globalLimits,
    maxInFlightTotal: globalLimits.maxInFlight,
    maxConnections: globalLimits.maxConnections,
    maxQueuedTotal: numberAt(global, 'connection_queue_size'),
    maxBodyBufferTotal: numberAt(global, 'max_body_buffer_total'),
    log,
  };
}
