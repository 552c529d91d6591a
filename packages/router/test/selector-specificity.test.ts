import { describe, expect, it } from 'vitest';
import { Router } from '../src/index.js';
import { endpoint, outcome } from './support/endpoint.js';

describe('selector specificity: IP > port > domain > global', () => {
  const router = new Router<string>();
  router.add('GET', '::/x', 'global');
  router.add('GET', ':::example.com:/x', 'domain');
  router.add('GET', ':8000::/x', 'port');
  router.add('GET', ':8000::example.com:/x', 'port+domain');
  router.add('GET', '127.0.0.1::/x', 'ip');
  router.add('GET', '127.0.0.1:9000::/x', 'ip+port');
  router.add('GET', '[::1]::/x', 'ipv6');

  it.each([
    ['127.0.0.1', 9000, 'example.com', 'ip+port'],
    ['127.0.0.1', 8000, 'example.com', 'ip'],
    ['127.0.0.1', 7000, '', 'ip'],
    ['10.0.0.1', 8000, 'example.com', 'port+domain'],
    ['10.0.0.1', 8000, 'other.org', 'port'],
    ['10.0.0.1', 9000, 'example.com', 'domain'],
    ['10.0.0.1', 9000, 'other.org', 'global'],
    ['10.0.0.1', 9000, '', 'global'],
    ['::1', 9000, 'example.com', 'ipv6'],
  ])('%s:%d %s gets %s', (ip, port, domain, expected) => {
    expect(outcome(router.match('GET', '/x', endpoint(ip, port, domain)))).toBe(expected);
  });

  it('ranks the binding before the path: a bound catch-all beats a global static route', () => {
    const r = new Router<string>();
    r.add('GET', '::/static/page', 'global static');
    r.add('GET', '127.0.0.1::/{p:path}', 'ip catch-all');
    expect(outcome(r.match('GET', '/static/page', endpoint('127.0.0.1')))).toBe('ip catch-all');
    expect(outcome(r.match('GET', '/static/page', endpoint('10.0.0.1')))).toBe('global static');
  });

  it('falls through to a less specific binding when the path does not match the specific one', () => {
    const r = new Router<string>();
    r.add('GET', '127.0.0.1::/admin', 'ip admin');
    r.add('GET', '::/{page}', 'global page');
    expect(outcome(r.match('GET', '/admin', endpoint('127.0.0.1')))).toBe('ip admin');
    expect(outcome(r.match('GET', '/home', endpoint('127.0.0.1')))).toBe('global page');
  });

  it('matches an IPv4 selector on an IPv4-mapped IPv6 endpoint, and the reverse', () => {
    const r = new Router<string>();
    r.add('GET', '127.0.0.1::/v4', 'v4');
    r.add('GET', '[::ffff:10.0.0.1]::/mapped', 'mapped');
    expect(outcome(r.match('GET', '/v4', endpoint('::ffff:127.0.0.1')))).toBe('v4');
    expect(outcome(r.match('GET', '/mapped', endpoint('10.0.0.1')))).toBe('mapped');
    expect(outcome(r.match('GET', '/v4', endpoint('10.0.0.1')))).toBe('not-found');
  });

  it('compares the domain in lower case (the endpoint domain is lower-case)', () => {
    const r = new Router<string>();
    r.add('GET', ':::API.Example.com:/x', 'api');
    expect(outcome(r.match('GET', '/x', endpoint('10.0.0.1', 80, 'api.example.com')))).toBe('api');
  });

  it('treats "/x" and "::/x" as the same global selector', () => {
    const r = new Router<string>();
    r.add('GET', '/x', 'plain');
    expect(() => r.add('GET', '::/x', 'prefixed')).toThrow(/ambiguous/);
  });
});
