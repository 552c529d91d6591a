import { describe, expect, it } from 'vitest';
import { transportOptionsFromConfig } from '../src/app/transport-options.js';
import { parseConfig, resolveConfig } from '../src/config/index.js';

// Issue 13: one typed source for listener settings. What a listener enforces is what
// `resolveConfig().servers` reports for its entry, limit by limit.

describe('transport listener options', () => {
  const input = {
    header_timeout: 9,
    max_body_size: 1000,
    ssl_handshake_timeout: 7,
    server: [
      { ip: '127.0.0.1', port: 5000 },
      {
        ip: '127.0.0.1',
        port: 5443,
        SSL: true,
        cert_path: 'c.pem',
        key_path: 'k.pem',
        header_timeout: 2.5,
        max_threads: 3,
      },
    ],
  };

  it('are each server entry with every limit filled in, in ms', () => {
    const { config, servers } = resolveConfig({ object: input as never, env: {} });
    const options = transportOptionsFromConfig(config, () => {});
    expect(options.listeners).toHaveLength(2);
    options.listeners.forEach((listener, at) => {
      const server = servers[at];
      if (server === undefined) throw new Error(`no server ${at}`);
      expect(listener.limits).toMatchObject({
        headerTimeoutMs: server.header_timeout * 1000,
        maxBodyBytes: server.max_body_size,
        maxInFlight: server.max_threads,
        keepAliveTimeoutMs: server.keep_alive_timeout * 1000,
        queueSize: server.queue_size,
        streamLimits: { maxDurationMs: server.stream_max_duration * 1000 },
      });
    });
    expect(options.listeners[0]?.limits?.headerTimeoutMs).toBe(9000);
    expect(options.listeners[1]?.limits?.headerTimeoutMs).toBe(2500);
    expect(options.listeners[1]?.limits?.maxInFlight).toBe(3);
    expect(options.listeners[1]?.tls?.handshakeTimeoutMs).toBe(7000);
  });

  it('keep the global values as the server-wide limits and totals', () => {
    const config = parseConfig(input as never);
    const options = transportOptionsFromConfig(config, () => {});
    expect(options.limits?.headerTimeoutMs).toBe(9000);
    expect(options.maxInFlightTotal).toBe(config.max_threads);
    expect(options.maxQueuedTotal).toBe(config.connection_queue_size);
    expect(options.maxBodyBufferTotal).toBe(config.max_body_buffer_total);
  });
});
