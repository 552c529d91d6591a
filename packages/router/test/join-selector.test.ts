import { describe, expect, it } from 'vitest';
import { joinSelector, Router, RouterError } from '../src/index.js';
import { endpoint } from './support/endpoint.js';

function joinError(prefix: string, child: string): RouterError {
  try {
    joinSelector(prefix, child);
  } catch (error) {
    if (error instanceof RouterError) return error;
    throw error;
  }
  throw new Error(`${prefix} + ${child} joined without error`);
}

describe('joinSelector: composition', () => {
  it.each([
    ['::/api', '/hello', '::/api/hello'],
    ['::/api', '::/hello', '::/api/hello'],
    ['::/api/', '/hello', '::/api/hello'],
    ['/api', '/hello', '::/api/hello'],
    ['', '/hello', '::/hello'],
    ['', '::/hello', '::/hello'],
    ['', '127.0.0.1::/x', '127.0.0.1::/x'],
    ['::/api', '', '::/api'],
    ['::/api', '/', '::/api'],
    ['::/', '/x', '::/x'],
    ['', '', '::/'],
    ['127.0.0.1::/admin', '/users', '127.0.0.1::/admin/users'],
    ['127.0.0.1::/admin', ':8000::/x', '127.0.0.1:8000::/admin/x'],
    ['127.0.0.1::', '/x', '127.0.0.1::/x'],
    ['::/api', ':::Example.com:/x', ':::example.com:/api/x'],
    [':8000::/api', '127.0.0.1::/x', '127.0.0.1:8000::/api/x'],
    ['[::1]::/v1', '/{slug:str}', '[::1]::/v1/{slug:str}'],
    ['::/u/{id:int}', '/posts/{post}', '::/u/{id:int}/posts/{post:str}'],
    ['::/files', '/{p:path}', '::/files/{p:path}'],
    ['::/items', '/*', '::/items/*'],
    ['127.0.0.1::/x', '127.0.0.1::/y', '127.0.0.1::/x/y'],
    ['[::1]::/x', '[0::1]::/y', '[::1]::/x/y'],
  ])('%s + %s = %s', (prefix, child, joined) => {
    expect(joinSelector(prefix, child)).toBe(joined);
  });
});

describe('joinSelector: conflicts and errors', () => {
  it.each([
    ['127.0.0.1::/a', '10.0.0.1::/b', 'ip', '10.0.0.1', '127.0.0.1'],
    [':8000::/a', ':9000::/b', 'port', '9000', '8000'],
    [':::a.example:/a', ':::b.example:/b', 'domain', 'b.example', 'a.example'],
  ])('%s + %s conflicts on the %s', (prefix, child, part, childValue, prefixValue) => {
    const error = joinError(prefix, child);
    expect(error.code).toBe('BBWS_ERR_ROUTE_SELECTOR_CONFLICT');
    expect(error.message).toBe(
      `Selector ${JSON.stringify(child)} binds ${part} ${childValue}, but its prefix ${JSON.stringify(prefix)} binds ${part} ${prefixValue}`,
    );
  });

  it('refuses a prefix that already captures the rest of the path', () => {
    const error = joinError('::/files/{p:path}', '/x');
    expect(error.code).toBe('BBWS_ERR_ROUTE_TEMPLATE');
    expect(error.message).toContain(
      'Joining prefix "::/files/{p:path}" and selector "/x" gives "::/files/{p:path}/x"',
    );
    expect(error.message).toContain('must be the last segment');
  });

  it('refuses a placeholder name used in both', () => {
    const error = joinError('::/u/{id}', '/{id:int}');
    expect(error.code).toBe('BBWS_ERR_ROUTE_TEMPLATE');
    expect(error.message).toContain('a placeholder name not used before in this template, found "id"');
  });

  it('reports a malformed part with its own selector and position', () => {
    const prefixError = joinError('localhost::/a', '/b');
    expect(prefixError.code).toBe('BBWS_ERR_ROUTE_SELECTOR');
    expect(prefixError.selector).toBe('localhost::/a');
    const childError = joinError('::/a', '/{x:nope}');
    expect(childError.code).toBe('BBWS_ERR_ROUTE_TEMPLATE');
    expect(childError.selector).toBe('/{x:nope}');
    expect(childError.position).toBe(4);
    expect(joinError('::/a', 'hello').code).toBe('BBWS_ERR_ROUTE_SELECTOR');
  });
});

describe('joinSelector: the joined selector registers and matches', () => {
  it('routes a request through prefix and child', () => {
    const router = new Router<string>();
    router.add('GET', joinSelector('127.0.0.1::/api', ':8000::/u/{id:int}'), 'user');
    expect(router.match('GET', '/api/u/7', endpoint('127.0.0.1', 8000))).toMatchObject({
      kind: 'found',
      value: 'user',
      params: { id: 7 },
      route: { canonical: '127.0.0.1:8000::/api/u/{id:int}' },
    });
    expect(router.match('GET', '/api/u/7', endpoint('127.0.0.1', 9000)).kind).toBe('not-found');
  });
});
