import { describe, expect, it } from 'vitest';
import { Router } from '../src/index.js';
import { endpoint } from './support/endpoint.js';

describe('listRoutes', () => {
  it('reports every route in registration order with its canonical selector and parts', () => {
    const router = new Router<string>();
    router.add('GET', '/u/{id:int}', 'a');
    router.add('POST', '[0::1]:8000::Example.com:/caf\u00e9/{p:path}', 'b');
    expect(router.listRoutes()).toEqual([
      {
        method: 'GET',
        selector: '/u/{id:int}',
        canonical: '::/u/{id:int}',
        ip: null,
        port: null,
        domain: null,
        path: '/u/{id:int}',
        placeholders: [{ name: 'id', type: 'int' }],
      },
      {
        method: 'POST',
        selector: '[0::1]:8000::Example.com:/caf\u00e9/{p:path}',
        canonical: '[::1]:8000::example.com:/caf%C3%A9/{p:path}',
        ip: '::1',
        port: 8000,
        domain: 'example.com',
        path: '/caf%C3%A9/{p:path}',
        placeholders: [{ name: 'p', type: 'path' }],
      },
    ]);
  });

  it('returns a snapshot, and the found result names its route', () => {
    const router = new Router<string>();
    router.add('GET', '/a', 'a');
    const before = router.listRoutes();
    router.add('GET', '/b', 'b');
    expect(before).toHaveLength(1);
    expect(router.listRoutes()).toHaveLength(2);
    expect(router.match('GET', '/b', endpoint())).toMatchObject({ route: { selector: '/b', method: 'GET' } });
  });
});
