import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectiveServerConfig, resolveConfig } from '../src/config/index.js';
import { CoreError } from '../src/errors.js';

function configFile(content: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bbws-config-')), 'config.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

function problemsOf(env: Record<string, string>, object: Record<string, unknown> = {}): string[] {
  try {
    resolveConfig({ object, env });
  } catch (error) {
    expect((error as CoreError).code).toBe('BBWS_ERR_CONFIG_INVALID');
    return (error as CoreError).message
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
  }
  throw new Error('expected the config to be rejected');
}

describe('BBWS_* environment overrides', () => {
  it('override the file, converted to the key type', () => {
    const file = configFile({
      max_body_size: 100,
      runtime_mode: 'socket',
      dev_mode: false,
      server: [{ port: 5000 }],
    });
    const { config } = resolveConfig({
      file,
      env: {
        BBWS_MAX_BODY_SIZE: '2048',
        BBWS_RUNTIME_MODE: 'wsgi',
        BBWS_DEV_MODE: 'true',
        BBWS_KEEP_ALIVE_TIMEOUT: '2.5',
        BBWS_HANDLER_PLACEMENT: 'pool',
        BBWS_SERVER_0_PORT: '8080',
        BBWS_SERVER_0_HTTPS_REDIRECT: '1',
        BBWS_SERVER_0_HTTPS_REDIRECT_ESCAPE_PATHS: '/health, /.well-known/*',
        BBWS_SERVER_0_MAX_BODY_SIZE: '512',
        BBWS_LOG_LEVELS: 'ERROR,debug',
        BBWS_LOG_PRETTY: 'auto',
      },
    });
    expect(config.max_body_size).toBe(2048);
    expect(config.runtime_mode).toBe('adapter');
    expect(config.dev_mode).toBe(true);
    expect(config.keep_alive_timeout).toBe(2.5);
    expect(config.handler_placement).toBe('pool');
    expect(config.server[0]?.port).toBe(8080);
    expect(config.server[0]?.['https-redirect']).toBe(true);
    expect(config.server[0]?.['https-redirect-escape-paths']).toEqual(['/health', '/.well-known/*']);
    expect(effectiveServerConfig(config, 0).max_body_size).toBe(512);
    expect(config.log.levels).toEqual(['error', 'debug']);
    expect(config.log.pretty).toBe('auto');
  });

  it('apply to the one default server when the config has no server list', () => {
    const { config } = resolveConfig({
      object: {},
      env: { BBWS_SERVER_0_PORT: '0', BBWS_SERVER_0_IP: '[::1]' },
    });
    expect(config.server).toEqual([expect.objectContaining({ ip: '::1', port: 0 })]);
  });

  it('do not change the object they are given', () => {
    const object = { server: [{ port: 1 }] };
    resolveConfig({ object, env: { BBWS_SERVER_0_PORT: '2' } });
    expect(object).toEqual({ server: [{ port: 1 }] });
  });

  it('report a value that does not convert, naming the variable and the key', () => {
    expect(problemsOf({ BBWS_MAX_BODY_SIZE: '10MB', BBWS_DEV_MODE: 'maybe' })).toEqual([
      'BBWS_DEV_MODE (dev_mode): got "maybe", expected true or false (also 1/0, yes/no, on/off)',
      'BBWS_MAX_BODY_SIZE (max_body_size): got "10MB", expected a number',
    ]);
  });

  it('report a converted value the schema rejects, naming the variable', () => {
    expect(problemsOf({ BBWS_SERVER_0_PORT: '70000', BBWS_RUNTIME_MODE: 'cgi' })).toEqual([
      'BBWS_RUNTIME_MODE (runtime_mode): got "cgi", expected "socket" or "adapter" ("wsgi" is accepted as "adapter")',
      'BBWS_SERVER_0_PORT (server[0].port): got 70000, expected a port number from 0 to 65535',
    ]);
  });

  it('report file and environment problems together', () => {
    expect(problemsOf({ BBWS_MAX_URL_LENGTH: 'long' }, { max_threads: -5 })).toEqual([
      'BBWS_MAX_URL_LENGTH (max_url_length): got "long", expected a number',
      'max_threads: got -5, expected a whole number >= 0',
    ]);
  });

  it('refuse an override of a server entry that does not exist', () => {
    expect(problemsOf({ BBWS_SERVER_3_PORT: '80' })).toEqual([
      'BBWS_SERVER_3_PORT: no server entry 3 to override (the config has 1)',
    ]);
  });

  it('warn about BBWS_* variables that name no key, and ignore other variables', () => {
    const { warnings, config } = resolveConfig({
      object: {},
      env: { BBWS_MAX_BODYSIZE: '1', BBWS_SERVER_0_COLOUR: 'red', PATH: '/usr/bin', HOME: '/root' },
    });
    expect(warnings).toEqual([
      'BBWS_MAX_BODYSIZE: unknown environment variable, ignored (no config key has this name)',
      'BBWS_SERVER_0_COLOUR: unknown environment variable, ignored (a server entry has no key COLOUR)',
    ]);
    expect(config.max_body_size).toBe(10_485_760);
  });
});
