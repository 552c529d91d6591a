import type {
  HttpServerOptions,
  HttpsRedirect,
  LimitOverrides,
  ListenerOptions,
  RequestHandler,
  TimeoutEvent,
  TlsOptions,
  TransportLog,
} from '@bbws/transport';
import type { Config } from '../config/config-schema.js';
import { type EffectiveServerConfig, effectiveServerConfigs } from '../config/effective-server-config.js';

/** The config keys a level of limits is read from: the global config or one filled-in server entry. */
type LimitSource = Pick<
  Config,
  | 'max_url_length'
  | 'max_header_size'
  | 'max_body_size'
  | 'header_timeout'
  | 'body_min_rate_bytes_per_sec'
  | 'body_idle_timeout'
  | 'send_timeout'
  | 'handler_timeout'
  | 'keep_alive_timeout'
  | 'keep_alive_max_requests'
  | 'max_threads'
  | 'connection_queue_timeout'
  | 'max_connections'
  | 'stream_max_chunk_size'
  | 'stream_max_total_bytes'
  | 'stream_max_duration'
  | 'stream_idle_timeout'
>;

const ms = (seconds: number): number => Math.round(seconds * 1000);

/** The seed's limits (seed key names, seconds) as transport limits (camelCase, ms). */
function limitsOf(source: LimitSource, queueSize?: number): LimitOverrides {
  return {
    maxUrlLength: source.max_url_length,
    maxHeaderBytes: source.max_header_size,
    maxBodyBytes: source.max_body_size,
    headerTimeoutMs: ms(source.header_timeout),
    bodyMinBytesPerSec: source.body_min_rate_bytes_per_sec,
    bodyIdleTimeoutMs: ms(source.body_idle_timeout),
    sendTimeoutMs: ms(source.send_timeout),
    handlerTimeoutMs: ms(source.handler_timeout),
    keepAliveTimeoutMs: ms(source.keep_alive_timeout),
    keepAliveMaxRequests: source.keep_alive_max_requests,
    maxInFlight: source.max_threads,
    queueSize,
    queueTimeoutMs: ms(source.connection_queue_timeout),
    maxConnections: source.max_connections,
    streamLimits: {
      maxChunkBytes: source.stream_max_chunk_size,
      maxTotalBytes: source.stream_max_total_bytes,
      maxDurationMs: ms(source.stream_max_duration),
      idleTimeoutMs: ms(source.stream_idle_timeout),
    },
  };
}

/** `SSL: true` of a server entry as TLS options (default certificate, SNI list, reload). */
function tlsOf(server: EffectiveServerConfig): TlsOptions | undefined {
  if (!server.SSL) return undefined;
  return {
    certPath: server.cert_path,
    keyPath: server.key_path,
    sniHosts: Array.isArray(server.host)
      ? server.host.map((h) => ({ host: h.host, certPath: h.cert_path, keyPath: h.key_path }))
      : [],
    watchCertificates: server['update-cert-state'],
    handshakeTimeoutMs: ms(server.ssl_handshake_timeout),
  };
}

/**
 * Where a plain `https-redirect` entry sends clients: its `https_port`, else the app's TLS
 * listener (the one on the same ip, else the first), whose bound port the transport puts in
 * the URL; with neither, port 443.
 */
function httpsRedirectOf(config: Config, entry: EffectiveServerConfig): HttpsRedirect | undefined {
  if (!entry['https-redirect'] || entry.SSL) return undefined;
  const escapePaths = entry['https-redirect-escape-paths'];
  if (entry.https_port !== undefined) return { escapePaths, port: entry.https_port };
  const tlsIndexes = config.server.flatMap((server, at) => (server.SSL ? [at] : []));
  const tlsListener = tlsIndexes.find((at) => config.server[at]?.ip === entry.ip) ?? tlsIndexes[0];
  return tlsListener === undefined ? { escapePaths } : { escapePaths, tlsListener };
}

/**
 * The one mapping of the validated config (seed key names, seconds) onto the transport's
 * options (camelCase, ms). Each listener gets its server entry with every limit filled in by
 * {@link effectiveServerConfigs} (its own value, else the global one), so what a listener
 * enforces is what `resolveConfig().servers` reports. See docs/transport.md for what each limit
 * means on an event loop.
 * @param log where the transport reports events (default: stderr)
 * @param onTimeout told about every timeout the transport counts
 */
export function transportOptionsFromConfig(
  config: Config,
  handler: RequestHandler,
  log?: TransportLog,
  onTimeout?: (event: TimeoutEvent) => void,
): HttpServerOptions {
  const listeners: ListenerOptions[] = effectiveServerConfigs(config).map((entry) => ({
    ip: entry.ip,
    port: entry.port,
    limits: limitsOf(entry, entry.queue_size),
    tls: tlsOf(entry),
    httpsRedirect: httpsRedirectOf(config, entry),
    proxyProtocol: entry.proxy_protocol,
  }));
  return {
    handler,
    listeners,
    limits: limitsOf(config),
    maxInFlightTotal: config.max_threads,
    maxConnections: config.max_connections,
    maxQueuedTotal: config.connection_queue_size,
    maxBodyBufferTotal: config.max_body_buffer_total,
    log,
    onTimeout,
  };
}
