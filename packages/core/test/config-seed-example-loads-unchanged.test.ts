import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectiveServerConfig, resolveConfig } from '../src/config/index.js';

// The example of "Server Configuration" in the seed (bbwebservice 3.2.2), byte for byte.
const SEED_EXAMPLE = `{
  "max_threads": 100,
  "max_threads_per_process": 16,
  "max_header_size": 16384,
  "max_body_size": 10485760,
  "keep_alive_timeout": 15,
  "keep_alive_max_requests": 100,
  "header_timeout": 10,
  "body_min_rate_bytes_per_sec": 1024,
  "handler_timeout": 30,
  "stream_max_chunk_size": 65536,
  "stream_max_total_bytes": 10485760,
  "stream_max_duration": 60.0,
  "stream_idle_timeout": 10.0,
  "connection_queue_timeout": 2,
  "ssl_handshake_timeout": 5,
  "max_url_length": 2048,
  "worker_processes": 4,
  "worker_timeout_threshold": 0,
  "server": [
    {
      "ip": "default",
      "port": 5000,
      "queue_size": 32,
      "max_threads": 25,
      "max_threads_per_process": 16,
      "SSL": false,
      "host": "",
      "cert_path": "",
      "key_path": "",
      "https-redirect": false,
      "https-redirect-escape-paths": [],
      "update-cert-state": false,
      "stream_max_chunk_size": 65536,
      "stream_max_total_bytes": 10485760,
      "stream_max_duration": 60.0,
      "stream_idle_timeout": 10.0
    }
  ]
}
`;

function writeSeedFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bbws-config-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, SEED_EXAMPLE);
  return file;
}

describe('a Python bbwebservice 3.2.2 config.json', () => {
  it('loads unchanged, without warnings, every value as written', () => {
    const { config, warnings } = resolveConfig({ file: writeSeedFile(), env: {} });
    expect(warnings).toEqual([]);
    const seed = JSON.parse(SEED_EXAMPLE) as Record<string, unknown> & { server: Record<string, unknown>[] };
    for (const [key, value] of Object.entries(seed)) {
      if (key !== 'server') expect(config[key as keyof typeof config], key).toEqual(value);
    }
    expect(config.server).toHaveLength(1);
    for (const [key, value] of Object.entries(seed.server[0] ?? {})) {
      expect(config.server[0]?.[key as keyof (typeof config.server)[0]], `server[0].${key}`).toEqual(value);
    }
    expect(config.runtime_mode).toBe('socket');
  });

  it('fills the server entry from the global values where it sets none', () => {
    const { config } = resolveConfig({ file: writeSeedFile(), env: {} });
    const server = effectiveServerConfig(config, 0);
    expect(server.max_threads).toBe(25); // its own value wins
    expect(server.max_body_size).toBe(10_485_760); // from the global key
    expect(server.handler_timeout).toBe(30);
    expect(server.keep_alive_timeout).toBe(15);
    expect(server.worker_timeout_threshold).toBe(0);
    expect(server.ip).toBe('default');
  });
});
