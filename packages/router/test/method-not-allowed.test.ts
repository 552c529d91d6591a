import { describe, expect, it } from 'vitest';
import { Router } from '../src/index.js';
import { endpoint, outcome } from './support/endpoint.js';

describe('405 with Allow', () => {
  const router = new Router<string>();
  router.add('GET', '/r', 'get');
  router.add('POST', '/r', 'post');
  router.add('PUT', '/r/{id:int}', 'put');
  router.add('DELETE', '/r/{id:int}', 'delete');
  router.add('PURGE', '/cache', 'purge');
  router.add('OPTIONS', '/r/{id}', 'options');

  it('lists the methods of the path, sorted, with HEAD when GET is there', () => {
    expect(router.match('DELETE', '/r', endpoint())).toEqual({
      kind: 'method-not-allowed',
      allow: 'GET, HEAD, POST',
    });
  });

  it('counts only routes whose template matches this path', () => {
    expect(outcome(router.match('GET', '/r/7', endpoint()))).toBe('405 DELETE, OPTIONS, PUT');
    expect(outcome(router.match('GET', '/r/x', endpoint()))).toBe('405 OPTIONS');
  });

  it('handles any method token, and OPTIONS like any other method', () => {
    expect(outcome(router.match('PURGE', '/cache', endpoint()))).toBe('purge');
    expect(outcome(router.match('GET', '/cache', endpoint()))).toBe('405 PURGE');
    expect(outcome(router.match('OPTIONS', '/r/7', endpoint()))).toBe('options');
    expect(outcome(router.match('OPTIONS', '/r', endpoint()))).toBe('405 GET, HEAD, POST');
  });

  it('is not-found when no method has the path', () => {
    expect(router.match('GET', '/nothing', endpoint())).toEqual({ kind: 'not-found' });
    expect(router.match('BREW', '/nothing', endpoint())).toEqual({ kind: 'not-found' });
  });

  it('treats methods as case-sensitive tokens', () => {
    expect(outcome(router.match('get', '/r', endpoint()))).toBe('405 GET, HEAD, POST');
  });

  it('counts only routes bound to this endpoint', () => {
    const r = new Router<string>();
    r.add('GET', '127.0.0.1::/admin', 'local get');
    r.add('POST', '::/admin', 'global post');
    expect(outcome(r.match('PUT', '/admin', endpoint('127.0.0.1')))).toBe('405 GET, HEAD, POST');
    expect(outcome(r.match('PUT', '/admin', endpoint('10.0.0.1')))).toBe('405 POST');
    expect(outcome(r.match('GET', '/admin', endpoint('10.0.0.1')))).toBe('405 POST');
  });

  it('does not let a route of another method on a more specific binding hide this method', () => {
    const r = new Router<string>();
    r.add('POST', '127.0.0.1::/form', 'local post');
    r.add('GET', '::/form', 'global get');
    expect(outcome(r.match('GET', '/form', endpoint('127.0.0.1')))).toBe('global get');
    expect(outcome(r.match('POST', '/form', endpoint('127.0.0.1')))).toBe('local post');
  });

  it('knows which methods have routes', () => {
    expect(router.hasMethod('PURGE')).toBe(true);
    expect(router.hasMethod('HEAD')).toBe(true);
    expect(router.hasMethod('PATCH')).toBe(false);
  });
});
