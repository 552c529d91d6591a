import { describe, expect, it } from 'vitest';
import { LogHub } from '../src/logging/index.js';

function memoryHub(): { hub: LogHub; messages: () => string[]; records: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const hub = new LogHub({ console: { write: (line) => lines.push(line) }, levels: ['error'] });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { hub, records, messages: () => records().map((r) => String(r.msg)) };
}

const EXAMPLE = '127.0.0.1:5000::example.com';
const endpoint = { ip: '127.0.0.1', port: 5000, domain: 'example.com', isTls: false };

describe('logging scopes ip:port::domain', () => {
  it('switch a level on for one scope only', () => {
    const { hub, messages } = memoryHub();
    hub.setLogging('debug', true, { scope: EXAMPLE });
    hub.log('in scope', 'debug', EXAMPLE);
    hub.log('other domain', 'debug', '127.0.0.1:5000::other.org');
    hub.log('no scope', 'debug');
    expect(messages()).toEqual(['in scope']);
  });

  it('match partial scopes: ip only, port only, domain only', () => {
    const { hub, messages } = memoryHub();
    hub.setLogging('info', true, { scope: ':5000::' });
    hub.setLogging('debug', true, { scope: '::example.com' });
    hub.setLogging('time', true, { scope: '[::1]::' });
    hub.log('port 5000', 'info', EXAMPLE);
    hub.log('port 6000', 'info', '127.0.0.1:6000::example.com');
    hub.log('domain', 'debug', '10.0.0.1:80::example.com');
    hub.log('ipv6', 'time', '[::1]:443::');
    hub.log('ipv4', 'time', EXAMPLE);
    expect(messages()).toEqual(['port 5000', 'domain', 'ipv6']);
  });

  it('let the more specific scope win (IP > port > domain > global)', () => {
    const { hub, messages } = memoryHub();
    hub.setLogging('info', true); // global on
    hub.setLogging('info', false, { scope: '::example.com' });
    hub.setLogging('info', true, { scope: ':5000::' });
    hub.log('port beats domain', 'info', EXAMPLE);
    hub.log('domain beats global', 'info', '127.0.0.1:80::example.com');
    hub.log('global', 'info', '127.0.0.1:80::other.org');
    hub.setLogging('info', false, { scope: '127.0.0.1::' });
    hub.log('ip beats port', 'info', EXAMPLE);
    expect(messages()).toEqual(['port beats domain', 'global']);
  });

  it('take a request endpoint as the scope and write the scope into the record', () => {
    const { hub, records } = memoryHub();
    hub.setLogging('request', true, { scope: EXAMPLE });
    hub.log('GET /', 'request', endpoint);
    hub.log('v6', 'error', { ip: '::1', port: 8000, domain: '', isTls: true });
    expect(records().map((r) => [r.msg, r.scope])).toEqual([
      ['GET /', EXAMPLE],
      ['v6', '[::1]:8000::'],
    ]);
  });

  it('pick up later changes (no stale cached decision)', () => {
    const { hub, messages } = memoryHub();
    hub.setLogging('debug', true, { scope: EXAMPLE });
    hub.log('1', 'debug', EXAMPLE);
    hub.setLogging('debug', false, { scope: EXAMPLE });
    hub.log('2', 'debug', EXAMPLE);
    hub.setLogging('debug', true, { scope: '::example.com' });
    hub.log('3', 'debug', EXAMPLE); // the ip:port::domain setting (off) is more specific
    hub.log('4', 'debug', ':9::example.com');
    expect(messages()).toEqual(['1', '4']);
  });

  it('refuse a scope that is not ip:port::domain with BBWS_ERR_LOG_SCOPE', () => {
    const { hub } = memoryHub();
    for (const scope of ['example.com', '::1::', '127.0.0.1:99999::', '1.2.3:80::', ':80::a/b']) {
      expect(() => hub.setLogging('debug', true, { scope }), scope).toThrow(
        expect.objectContaining({ code: 'BBWS_ERR_LOG_SCOPE' }),
      );
    }
  });
});
