import { isIPv4, isIPv6 } from 'node:net';
import { availableParallelism } from 'node:os';
import type * as Zod from 'zod';
import { clusterSchemas } from '../cluster/cluster-config.js';
import { isLogLevel, LOG_LEVELS } from '../logging/log-levels.js';
import { isScopePattern } from '../logging/log-scope.js';
import { trustEntryProblem } from '../proxy/trusted-addresses.js';
import { loadZod } from './load-zod.js';
import { OVERRIDABLE_LIMITS, type OverridableLimit } from './overridable-limits.js';

// zod and these schemas are built on first use, not when this module loads: they cost about
// 50 ms of start, and config-fast-path.ts reads the common configs without them
// (docs/architecture.md, "What start loads").
function buildSchemas(z: typeof Zod.z) {
  // Every schema node carries one `expected` text. Whatever check fails, the problem line reads
  // "key: got VALUE, expected TEXT" (see config-problems.ts), so messages stay about the key,
  // not about zod's internal check names.

  function wholeNumber(expected = 'a whole number >= 0') {
    return z.number({ error: expected }).int({ error: expected }).min(0, { error: expected });
  }

  function seconds(expected = 'a number of seconds >= 0') {
    return z.number({ error: expected }).min(0, { error: expected });
  }

  function flag(expected = 'true or false') {
    return z.boolean({ error: expected });
  }

  function text(expected = 'a string') {
    return z.string({ error: expected });
  }

  const IP_EXPECTED = '"default", an IPv4 address or an IPv6 address (brackets optional)';

  /** `default`, IPv4, or IPv6 with or without brackets; brackets are removed in the result. */
  const ipSchema = z
    .string({ error: IP_EXPECTED })
    .refine((ip) => ip === 'default' || isIPv4(ip) || isIPv6(unbracket(ip)), { error: IP_EXPECTED })
    .transform(unbracket);

  const ESCAPE_PATH_EXPECTED = 'a list of paths, each with at most one "*" and only as its last character';

  /** `https-redirect-escape-paths`: literal paths, or prefixes ending in the one allowed `*`. */
  const escapePathsSchema = z.array(
    z
      .string({ error: ESCAPE_PATH_EXPECTED })
      .refine((p) => p.length > 0 && !p.slice(0, -1).includes('*'), { error: ESCAPE_PATH_EXPECTED }),
    { error: ESCAPE_PATH_EXPECTED },
  );

  const SNI_EXPECTED = 'a non-empty string';

  /** One SNI entry of a server's `host` list. */
  const sniHostSchema = z.object({
    host: z.string({ error: SNI_EXPECTED }).min(1, { error: SNI_EXPECTED }),
    cert_path: z.string({ error: SNI_EXPECTED }).min(1, { error: SNI_EXPECTED }),
    key_path: z.string({ error: SNI_EXPECTED }).min(1, { error: SNI_EXPECTED }),
  });

  const HOST_EXPECTED = 'a domain string, or a list of { host, cert_path, key_path } entries (SNI)';

  /**
   * `host`: a string, or a list of SNI entries. A plain union would report a bad entry as "not a
   * string or a list"; checking the entries here names the entry and key that are wrong.
   */
  const hostSchema = z
    .union([z.string(), z.array(z.unknown())], { error: HOST_EXPECTED })
    .transform((host, ctx): string | Zod.output<typeof sniHostSchema>[] => {
      if (typeof host === 'string') return host;
      const entries: Zod.output<typeof sniHostSchema>[] = [];
      host.forEach((entry, index) => {
        const result = sniHostSchema.safeParse(entry);
        if (result.success) entries.push(result.data);
        else
          for (const issue of result.error.issues) {
            ctx.issues.push({
              code: 'custom',
              message: issue.message,
              path: [index, ...issue.path],
              input: entry,
            });
          }
      });
      return entries;
    });

  const LEVEL_EXPECTED = `one of ${LOG_LEVELS.join(', ')} (any case)`;

  /** A seed logging level name, case-insensitive (`"INFO"` and `"info"` both work). */
  const levelSchema = z
    .string({ error: LEVEL_EXPECTED })
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(LOG_LEVELS, { error: LEVEL_EXPECTED }));

  const SCOPES_EXPECTED = 'an object: scope "ip:port::domain" → { level: true | false }';
  const SCOPE_EXPECTED = 'a scope "ip:port::domain" (each part optional, IPv6 in brackets)';

  const levelList = z.array(levelSchema, { error: `a list of levels: ${LEVEL_EXPECTED}` });

  /**
   * The limits a `server` entry may override. Absent on a server entry means "the global
   * value"; {@link effectiveServerConfig} fills them in.
   */
  const overridableLimits = {
    max_threads: wholeNumber,
    max_threads_per_process: wholeNumber,
    max_connections: wholeNumber,
    max_header_size: wholeNumber,
    max_body_size: wholeNumber,
    max_url_length: wholeNumber,
    keep_alive_timeout: seconds,
    keep_alive_max_requests: wholeNumber,
    header_timeout: seconds,
    body_min_rate_bytes_per_sec: wholeNumber,
    body_idle_timeout: seconds,
    send_timeout: seconds,
    handler_timeout: seconds,
    connection_queue_timeout: seconds,
    ssl_handshake_timeout: seconds,
    stream_max_chunk_size: wholeNumber,
    stream_max_total_bytes: wholeNumber,
    stream_max_duration: seconds,
    stream_idle_timeout: seconds,
    worker_timeout_threshold: () => seconds('a number >= 0 (below 1: a ratio of max_threads_per_process)'),
  } as const satisfies Record<OverridableLimit, () => Zod.ZodType>;

  const serverOverrides = Object.fromEntries(
    OVERRIDABLE_LIMITS.map((key) => [key, overridableLimits[key]().optional()]),
  ) as { [K in OverridableLimit]: Zod.ZodOptional<ReturnType<(typeof overridableLimits)[K]>> };

  const HTTPS_PORT_EXPECTED = 'a port number from 1 to 65535';

  /** One `server` entry: a listener, its TLS settings, and optional limit overrides. */
  const serverSchema = z
    .object({
      ip: ipSchema.default('default'),
      port: z
        .number({ error: 'a port number from 0 to 65535' })
        .int({ error: 'a port number from 0 to 65535' })
        .min(0, { error: 'a port number from 0 to 65535' })
        .max(65_535, { error: 'a port number from 0 to 65535' })
        .default(5000),
      queue_size: wholeNumber().default(32),
      SSL: flag().default(false),
      host: hostSchema.default(''),
      cert_path: text().default(''),
      key_path: text().default(''),
      'https-redirect': flag().default(false),
      'https-redirect-escape-paths': escapePathsSchema.default([]),
      /** The port `https-redirect` sends clients to; absent: the app's TLS listener's. */
      https_port: z
        .number({ error: HTTPS_PORT_EXPECTED })
        .int({ error: HTTPS_PORT_EXPECTED })
        .min(1, { error: HTTPS_PORT_EXPECTED })
        .max(65_535, { error: HTTPS_PORT_EXPECTED })
        .optional(),
      'update-cert-state': flag().default(false),
      /** Connections start with a PROXY protocol v1/v2 header; see docs/proxies.md#proxy-protocol. */
      proxy_protocol: flag().default(false),
      ...serverOverrides,
    })
    .superRefine((server, ctx) => {
      if (!server.SSL) return;
      const hasSniList = Array.isArray(server.host) && server.host.length > 0;
      if (hasSniList) return;
      for (const key of ['cert_path', 'key_path'] as const) {
        if (server[key] === '') {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            input: server[key],
            message: 'a certificate file path, because SSL is true and host is not a list of SNI entries',
          });
        }
      }
    });

  /** Where the log goes; see docs/logging.md. */
  const logConfigSchema = z.object({
    levels: levelList.default(['info', 'timeout', 'warning', 'error', 'critical']),
    console: flag().default(true),
    pretty: z.union([z.boolean(), z.literal('auto')], { error: 'true, false or "auto"' }).default('auto'),
    files: z
      .array(
        z.object({
          path: z.string({ error: 'a file path' }).min(1, { error: 'a file path' }),
          levels: levelList.optional(),
        }),
        { error: 'a list of { path, levels? } entries' },
      )
      .default([]),
    scopes: z
      .record(z.string(), z.record(z.string(), flag()), { error: SCOPES_EXPECTED })
      .default({})
      .superRefine((scopes, ctx) => {
        for (const [scope, levels] of Object.entries(scopes)) {
          if (!isScopePattern(scope)) {
            ctx.addIssue({ code: 'custom', path: [scope], input: scope, message: SCOPE_EXPECTED });
          }
          for (const level of Object.keys(levels)) {
            if (!isLogLevel(level.toLowerCase())) {
              ctx.addIssue({ code: 'custom', path: [scope, level], input: level, message: LEVEL_EXPECTED });
            }
          }
        }
      }),
  });

  const CODING_EXPECTED = 'a list of "br" and "gzip", most preferred first';

  /** How ordinary bodies are compressed; see docs/responses.md#compression. */
  const compressionConfigSchema = z.object({
    enabled: flag().default(true),
    min_bytes: wholeNumber().default(1024),
    encodings: z
      .array(z.enum(['br', 'gzip'], { error: CODING_EXPECTED }), { error: CODING_EXPECTED })
      .default(['br', 'gzip']),
    brotli_quality: z
      .number({ error: 'a whole number from 0 to 11' })
      .int({ error: 'a whole number from 0 to 11' })
      .min(0, { error: 'a whole number from 0 to 11' })
      .max(11, { error: 'a whole number from 0 to 11' })
      .default(4),
    gzip_level: z
      .number({ error: 'a whole number from 1 to 9' })
      .int({ error: 'a whole number from 1 to 9' })
      .min(1, { error: 'a whole number from 1 to 9' })
      .max(9, { error: 'a whole number from 1 to 9' })
      .default(6),
  });

  const TRUST_PROXY_EXPECTED =
    'false, a number of proxy hops (a whole number >= 1), or a list of addresses and CIDRs ("10.0.0.0/8", "::1/128", "loopback", "private", "linklocal")';

  /** `trust_proxy`: off, a hop count, or the addresses whose forwarding headers are believed. */
  const trustProxySchema = z
    .union([z.literal(false), z.number().int().min(0), z.array(z.string())], { error: TRUST_PROXY_EXPECTED })
    .superRefine((value, ctx) => {
      if (!Array.isArray(value)) return;
      value.forEach((entry, index) => {
        const problem = trustEntryProblem(entry);
        if (problem !== null) ctx.addIssue({ code: 'custom', path: [index], input: entry, message: problem });
      });
    });

  const { processesSchema, drainDelaySchema, healthSchema } = clusterSchemas(z);

  const RUNTIME_MODE_EXPECTED = '"socket" or "adapter" ("wsgi" is accepted as "adapter")';

  /**
   * config/config.json. Every key of the Python bbwebservice 3.2 config is accepted with the
   * same meaning, plus the keys this project adds; docs/configuration.md lists each key, its
   * default and its seed name.
   * @see docs/configuration.md
   */
  const configSchema = z.object({
    runtime_mode: z
      .enum(['socket', 'adapter', 'wsgi'], { error: RUNTIME_MODE_EXPECTED })
      .transform((mode) => (mode === 'wsgi' ? 'adapter' : mode))
      .default('socket'),
    dev_mode: flag().default(false),
    handler_placement: z
      .enum(['inline', 'pool', 'inline-only'], { error: '"inline", "pool" or "inline-only"' })
      .default('inline'),
    worker_processes: wholeNumber().default(() => availableParallelism()),
    // docs/processes.md: copies of the app under node:cluster, the drain, the health endpoints.
    processes: processesSchema.default(1),
    drain_delay: drainDelaySchema.default(0),
    health: healthSchema.prefault({}),
    max_threads: wholeNumber().default(1024),
    max_threads_per_process: wholeNumber().default(16),
    max_connections: wholeNumber().default(16_384),
    connection_queue_size: wholeNumber().default(1024),
    max_header_size: wholeNumber().default(16_384),
    max_body_size: wholeNumber().default(10_485_760),
    max_url_length: wholeNumber().default(2048),
    keep_alive_timeout: seconds().default(15),
    keep_alive_max_requests: wholeNumber().default(100),
    header_timeout: seconds().default(10),
    body_min_rate_bytes_per_sec: wholeNumber().default(1024),
    body_idle_timeout: seconds().default(10),
    send_timeout: seconds().default(30),
    max_body_buffer_total: wholeNumber().default(268_435_456),
    handler_timeout: seconds().default(30),
    connection_queue_timeout: seconds().default(2),
    ssl_handshake_timeout: seconds().default(5),
    stream_max_chunk_size: wholeNumber().default(65_536),
    stream_max_total_bytes: wholeNumber().default(10_485_760),
    stream_max_duration: seconds().default(60),
    stream_idle_timeout: seconds().default(10),
    worker_timeout_threshold: overridableLimits.worker_timeout_threshold().default(0.5),
    trust_proxy: trustProxySchema.default(false),
    trust_proxy_header: z
      .enum(['x-forwarded', 'forwarded'], {
        error: '"x-forwarded" (X-Forwarded-For/-Proto/-Host) or "forwarded" (RFC 7239)',
      })
      .default('x-forwarded'),
    compression: compressionConfigSchema.prefault({}),
    log: logConfigSchema.prefault({}),
    server: z.array(serverSchema, { error: 'a list of server entries' }).prefault([{}]),
  });

  return {
    configSchema,
    serverSchema,
    sniHostSchema,
    logConfigSchema,
    compressionConfigSchema,
    overridableLimits,
  };
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | null = null;

/**
 * The zod schemas of config/config.json, built on first call. `configSchema` is the file;
 * every key of the Python bbwebservice 3.2 config is accepted with the same meaning, plus the
 * keys this project adds; docs/configuration.md lists each key, its default and its seed name.
 * @see docs/configuration.md
 */
export function configSchemas(): Schemas {
  schemas ??= buildSchemas(loadZod().z);
  return schemas;
}

export { OVERRIDABLE_LIMITS, type OverridableLimit };

/** The validated configuration, defaults filled in. */
export type Config = Zod.output<Schemas['configSchema']>;
/** One validated server entry; limits it does not override are absent. */
export type ServerConfig = Zod.output<Schemas['serverSchema']>;
/** What a user may write in config.json (every key optional). */
export type ConfigInput = Zod.input<Schemas['configSchema']>;
/** The validated `compression` section. */
export type CompressionConfig = Zod.output<Schemas['compressionConfigSchema']>;
/** The validated `log` section. */
export type LogConfig = Zod.output<Schemas['logConfigSchema']>;

function unbracket(ip: string): string {
  return ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}
