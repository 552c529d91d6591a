import { describe, expect, it } from 'vitest';
import { Router } from '../src/index.js';
import { endpoint, outcome } from './support/endpoint.js';

// Routes without placeholders are also kept by path length and found by comparing whole paths
// (method-table.ts); these cases check that this gives the tree's answer.

describe('routes without placeholders', () => {
  it('answer their exact path, and only it', () => {
    const router = new Router<string>();
    for (const path of ['/', '/hello', '/hello/', '/x/', '/caf\u00e9/menu', '/a%2fb', '/%7Euser'])
      router.add('GET', `::${path}`, path);
    router.add('GET', '::/{name}', 'capture');
    expect(outcome(router.match('GET', '/', endpoint()))).toBe('/');
    expect(outcome(router.match('GET', '/hello', endpoint()))).toBe('/hello');
    expect(outcome(router.match('GET', '/hello/', endpoint()))).toBe('/hello/');
    expect(outcome(router.match('GET', '/x/', endpoint()))).toBe('/x/');
    expect(outcome(router.match('GET', '/x', endpoint()))).toBe('capture');
    expect(outcome(router.match('GET', '/hellO', endpoint()))).toBe('capture');
    expect(outcome(router.match('GET', '/caf%C3%A9/menu', endpoint()))).toBe('/caf\u00e9/menu');
    expect(outcome(router.match('GET', '/a%2Fb', endpoint()))).toBe('/a%2fb');
    expect(outcome(router.match('GET', '/a%2fb', endpoint()))).toBe('/a%2fb');
    expect(outcome(router.match('GET', '/~user', endpoint()))).toBe('/%7Euser');
    expect(outcome(router.match('HEAD', '/hello', endpoint()))).toBe('/hello');
    expect(outcome(router.match('POST', '/hello', endpoint()))).toBe('405 GET, HEAD');
  });

  it('many of one length are all found (past the ones compared whole, the tree finds them)', () => {
    const router = new Router<string>();
    const paths = Array.from({ length: 30 }, (_, k) => `/r${String(k).padStart(2, '0')}`);
    for (const path of paths) router.add('GET', `::${path}`, path);
    router.add('GET', '::/r{n:int}', 'int');
    for (const path of paths) expect(outcome(router.match('GET', path, endpoint()))).toBe(path);
    expect(outcome(router.match('GET', '/r100', endpoint()))).toBe('int');
  });

  it('give way to a more specific binding, even to its captures', () => {
    const router = new Router<string>();
    router.add('GET', '::/hello', 'global static');
    router.add('GET', '127.0.0.1::/{name}', 'ip capture');
    router.add('GET', ':8001::/hello', 'port static');
    expect(outcome(router.match('GET', '/hello', endpoint('127.0.0.1', 8000)))).toBe('ip capture');
    expect(outcome(router.match('GET', '/hello', endpoint('10.0.0.1', 8001)))).toBe('port static');
    expect(outcome(router.match('GET', '/hello', endpoint('10.0.0.1', 8000)))).toBe('global static');
  });
});
