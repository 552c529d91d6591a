import { describe, expect, it } from 'vitest';
import { parseConfig, resolveConfig } from '../src/config/index.js';
import { CoreError } from '../src/errors.js';

function problemsOf(object: Record<string, unknown>): string[] {
  try {
    resolveConfig({ object, env: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('BBWS_ERR_CONFIG_INVALID');
    return (error as CoreError).message
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
  }
  throw new Error('expected the config to be rejected');
}

describe('invalid config values', () => {
  it('stop the start with one line per problem: key path, value, expectation', () => {
    const lines = problemsOf({
      max_body_size: -1,
      handler_timeout: 'soon',
      runtime_mode: 'cgi',
      server: [{ port: 70_000, ip: 'localhost' }],
    });
    expect(lines).toHaveLength(5);
    expect(lines).toContain('max_body_size: got -1, expected a whole number >= 0');
    expect(lines).toContain('handler_timeout: got "soon", expected a number of seconds >= 0');
    expect(lines).toContain(
      'runtime_mode: got "cgi", expected "socket" or "adapter" ("wsgi" is accepted as "adapter")',
    );
    expect(lines).toContain('server[0].port: got 70000, expected a port number from 0 to 65535');
    expect(lines).toContain(
      'server[0].ip: got "localhost", expected "default", an IPv4 address or an IPv6 address (brackets optional)',
    );
  });

  it('counts the problems in the first line and names the source', () => {
    try {
      parseConfig({ max_threads: 1.5 }, 'config/config.json');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message.split('\n')[0]).toBe('invalid config/config.json (1 problem):');
    }
  });

  it('accepts "default", IPv4 and IPv6 with or without brackets (brackets dropped)', () => {
    const { config } = resolveConfig({
      object: { server: [{ ip: 'default' }, { ip: '127.0.0.1' }, { ip: '::1' }, { ip: '[::1]' }] },
      env: {},
    });
    expect(config.server.map((s) => s.ip)).toEqual(['default', '127.0.0.1', '::1', '::1']);
    expect(problemsOf({ server: [{ ip: '[127.0.0.1]' }] })).toHaveLength(1);
    expect(problemsOf({ server: [{ ip: '999.1.1.1' }] })).toHaveLength(1);
  });

  it('accepts ports 0 and 65535 and nothing outside', () => {
    expect(
      resolveConfig({ object: { server: [{ port: 0 }, { port: 65_535 }] }, env: {} }).config.server,
    ).toHaveLength(2);
    expect(problemsOf({ server: [{ port: -1 }] })).toEqual([
      'server[0].port: got -1, expected a port number from 0 to 65535',
    ]);
    expect(problemsOf({ server: [{ port: 80.5 }] })).toHaveLength(1);
  });

  it('requires cert_path and key_path, or an SNI host list, when SSL is true', () => {
    const lines = problemsOf({ server: [{ SSL: true, cert_path: '' }] });
    expect(lines).toEqual([
      'server[0].cert_path: got "", expected a certificate file path, because SSL is true and host is not a list of SNI entries',
      'server[0].key_path: got nothing, expected a certificate file path, because SSL is true and host is not a list of SNI entries',
    ]);
    const withFiles = { SSL: true, cert_path: 'c.pem', key_path: 'k.pem' };
    const withSni = { SSL: true, host: [{ host: 'a.example', cert_path: 'a.pem', key_path: 'a.key' }] };
    expect(
      resolveConfig({ object: { server: [withFiles, withSni] }, env: {} }).config.server[1]?.host,
    ).toEqual(withSni.host);
    expect(
      problemsOf({ server: [{ SSL: true, host: [{ host: 'a.example', cert_path: 'a.pem' }] }] }),
    ).toEqual(['server[0].host[0].key_path: got nothing, expected a non-empty string']);
  });

  it('allows "*" in https-redirect-escape-paths only as the last character', () => {
    const ok = { 'https-redirect-escape-paths': ['/.well-known/acme-challenge/*', '/health', '*'] };
    expect(
      resolveConfig({ object: { server: [ok] }, env: {} }).config.server[0]?.['https-redirect-escape-paths'],
    ).toEqual(ok['https-redirect-escape-paths']);
    expect(problemsOf({ server: [{ 'https-redirect-escape-paths': ['/a*/b', '/ok/*', '/x**'] }] })).toEqual([
      'server[0].https-redirect-escape-paths[0]: got "/a*/b", expected a list of paths, each with at most one "*" and only as its last character',
      'server[0].https-redirect-escape-paths[2]: got "/x**", expected a list of paths, each with at most one "*" and only as its last character',
    ]);
  });

  it('rejects a config that is not an object', () => {
    expect(problemsOf([] as unknown as Record<string, unknown>)).toEqual([
      '(root): got [], expected an object of config keys',
    ]);
  });

  it('accepts "wsgi" as the seed name of the adapter runtime mode', () => {
    expect(resolveConfig({ object: { runtime_mode: 'wsgi' }, env: {} }).config.runtime_mode).toBe('adapter');
  });
});
