import { describe, expect, it } from 'vitest';
import { Router, RouterError } from '../src/index.js';

function addBoth(first: string, second: string, secondMethod = 'GET'): RouterError | null {
  const router = new Router<number>();
  router.add('GET', first, 1);
  try {
    router.add(secondMethod, second, 2);
    return null;
  } catch (error) {
    if (error instanceof RouterError) return error;
    throw error;
  }
}

describe('ambiguous routes are refused at add, naming both', () => {
  it.each([
    ['::/d', '::/d'],
    ['/d', '::/d'],
    ['::/u/{id:int}', '::/u/{n:int}'],
    ['::/u/{name}', '::/u/{other:str}'],
    ['::/f/file-{id:int}.json', '::/f/file-{n:int}.json'],
    ['::/files/{p:path}', '::/files/*'],
    ['127.0.0.1::/x', '127.0.0.1::/x'],
    ['[::1]::/x', '[0:0:0:0:0:0:0:1]::/x'],
    [':::example.com:/x', ':::EXAMPLE.com:/x'],
    ['::/caf\u00e9', '::/caf%C3%A9'],
    ['::/%7Euser', '::/~user'],
  ])('%s then %s', (first, second) => {
    const error = addBoth(first, second);
    expect(error?.code).toBe('BBWS_ERR_ROUTE_DUPLICATE');
    expect(error?.message).toBe(
      `Route GET ${JSON.stringify(second)} is ambiguous with GET ${JSON.stringify(first)}, registered before: both match the same requests with the same specificity`,
    );
  });

  it('keeps the first route when the second is refused', () => {
    const router = new Router<number>();
    router.add('GET', '/d', 1);
    expect(() => router.add('GET', '/d', 2)).toThrow(RouterError);
    expect(router.match('GET', '/d', { ip: '::1', port: 1, domain: '', isTls: false })).toMatchObject({
      value: 1,
    });
    expect(router.listRoutes()).toHaveLength(1);
  });
});

describe('routes that differ in method, binding or specificity are not ambiguous', () => {
  it.each([
    ['::/d', '::/d', 'POST'],
    ['::/d', '127.0.0.1::/d', 'GET'],
    ['::/d', ':8000::/d', 'GET'],
    ['::/d', ':::example.com:/d', 'GET'],
    ['::/u/{id:int}', '::/u/{name:str}', 'GET'],
    ['::/u/{id:int}', '::/u/me', 'GET'],
    ['::/u/{p:path}', '::/u/{id}', 'GET'],
    ['::/f/{a}.json', '::/f/{a}', 'GET'],
    ['::/d', '::/d/', 'GET'],
    ['::/d', '::/D', 'GET'],
  ])('%s and %s %s', (first, second, method) => {
    expect(addBoth(first, second, method)).toBeNull();
  });
});
