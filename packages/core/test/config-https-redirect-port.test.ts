import type { ListenerOptions } from '@bbws/transport';
import { describe, expect, it } from 'vitest';
import { transportOptionsFromConfig } from '../src/app/transport-options.js';
import { parseConfig, resolveConfig } from '../src/config/index.js';

// Issue 11 B: which port a plain `https-redirect` listener sends clients to.

const tls = { SSL: true, cert_path: 'c.pem', key_path: 'k.pem' };
const redirecting = { 'https-redirect': true };

function redirectOf(server: readonly object[], at: number): ListenerOptions['httpsRedirect'] {
  const options = transportOptionsFromConfig(parseConfig({ server: server as never }), () => {});
  return options.listeners[at]?.httpsRedirect;
}

describe('the https port of a redirecting listener', () => {
  it('is the TLS listener of the app: its bound port, by its index', () => {
    expect(
      redirectOf(
        [
          { ip: '127.0.0.1', port: 5000, ...redirecting },
          { ip: '127.0.0.1', port: 5443, ...tls },
        ],
        0,
      ),
    ).toEqual({ escapePaths: [], tlsListener: 1 });
  });

  it('with several TLS listeners, is the one on the same ip, else the first', () => {
    const server = [
      { ip: '127.0.0.1', port: 8443, ...tls },
      { ip: '::1', port: 80, ...redirecting },
      { ip: '::1', port: 9443, ...tls },
      { ip: '127.0.0.2', port: 80, ...redirecting },
    ];
    expect(redirectOf(server, 1)).toMatchObject({ tlsListener: 2 });
    expect(redirectOf(server, 3)).toMatchObject({ tlsListener: 0 });
  });

  it('is https_port when the entry sets it (a proxy or another process serves TLS)', () => {
    const server = [
      { ip: '127.0.0.1', port: 80, https_port: 8443, ...redirecting },
      { ip: '127.0.0.1', port: 5443, ...tls },
    ];
    expect(redirectOf(server, 0)).toEqual({ escapePaths: [], port: 8443 });
  });

  it('is absent (443, left out of the URL) without a TLS listener or https_port', () => {
    expect(redirectOf([{ ip: '127.0.0.1', port: 80, ...redirecting }], 0)).toEqual({ escapePaths: [] });
  });

  it('https_port is a port 1..65535, settable from the environment', () => {
    expect(() => parseConfig({ server: [{ https_port: 0 }] })).toThrow(/server\[0\]\.https_port/);
    expect(() => parseConfig({ server: [{ https_port: 70_000 }] })).toThrow(/server\[0\]\.https_port/);
    const { config } = resolveConfig({ object: {}, env: { BBWS_SERVER_0_HTTPS_PORT: '8443' } });
    expect(config.server[0]?.https_port).toBe(8443);
  });
});
