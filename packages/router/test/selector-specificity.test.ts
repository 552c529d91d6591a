import { describe, expect, it } from 'vitest';
import { type Endpoint, Router, RouterError } from '../src/index.js';

const ep = (ip: string, port: number, domain: string): Endpoint => ({ ip, port, domain, isTls: false });

describe('Router', () => {
  it('prefers ip over port over domain over global', () => {
    const router = new Router<string>();
    router.add('GET', '::/x', 'global');
    router.add('GET', ':::example.com:/x', 'domain');
    router.add('GET', ':8000::/x', 'port');
    router.add('GET', '127.0.0.1::/x', 'ip');
    const value = (e: Endpoint) => {
      const m = router.match('GET', '/x', e);
      return m.kind === 'found' ? m.value : m.kind;
    };
    expect(value(ep('127.0.0.1', 8000, 'example.com'))).toBe('ip');
    expect(value(ep('10.0.0.1', 8000, 'example.com'))).toBe('port');
    expect(value(ep('10.0.0.1', 9000, 'example.com'))).toBe('domain');
    expect(value(ep('10.0.0.1', 9000, 'other.org'))).toBe('global');
  });

  it('answers 405 data with Allow, and HEAD falls back to GET', () => {
    const router = new Router<string>();
    router.add('GET', '/r', 'get');
    router.add('POST', '/r', 'post');
    expect(router.match('HEAD', '/r', ep('::1', 1, ''))).toMatchObject({ kind: 'found', value: 'get' });
    expect(router.match('DELETE', '/r', ep('::1', 1, ''))).toEqual({
      kind: 'method-not-allowed',
      allow: 'GET, HEAD, POST',
    });
  });

  it('refuses a duplicate route naming both', () => {
    const router = new Router<string>();
    router.add('GET', '::/d', 'a');
    expect(() => router.add('GET', '::/d', 'b')).toThrow(RouterError);
  });
});
