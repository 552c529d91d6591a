import { describe, expect, it } from 'vitest';
import { Router } from '../src/index.js';
import { endpoint, outcome } from './support/endpoint.js';

describe('HEAD falls back to GET', () => {
  it('answers HEAD with the GET route, params included', () => {
    const router = new Router<string>();
    router.add('GET', '/u/{id:int}', 'get');
    const result = router.match('HEAD', '/u/5', endpoint());
    expect(result).toMatchObject({ kind: 'found', value: 'get', params: { id: 5 } });
  });

  it('prefers an explicit HEAD route', () => {
    const router = new Router<string>();
    router.add('GET', '/x', 'get');
    router.add('HEAD', '/x', 'head');
    expect(outcome(router.match('HEAD', '/x', endpoint()))).toBe('head');
    expect(outcome(router.match('GET', '/x', endpoint()))).toBe('get');
  });

  it('uses GET when the HEAD routes do not match this path', () => {
    const router = new Router<string>();
    router.add('HEAD', '/other', 'head');
    router.add('GET', '/x', 'get');
    expect(outcome(router.match('HEAD', '/x', endpoint()))).toBe('get');
  });

  it('gives 405 without GET, and lists an explicit HEAD route once', () => {
    const router = new Router<string>();
    router.add('POST', '/p', 'post');
    router.add('GET', '/h', 'get');
    router.add('HEAD', '/h', 'head');
    router.add('PUT', '/h', 'put');
    expect(outcome(router.match('HEAD', '/p', endpoint()))).toBe('405 POST');
    expect(outcome(router.match('DELETE', '/h', endpoint()))).toBe('405 GET, HEAD, PUT');
  });
});
