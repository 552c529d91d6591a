import { describe, expect, it } from 'vitest';
import { Router } from '../src/index.js';
import { endpoint, outcome } from './support/endpoint.js';

function routerWith(...templates: string[]): Router<string> {
  const router = new Router<string>();
  for (const template of templates) router.add('GET', template, template);
  return router;
}

const get = (router: Router<string>, path: string) => outcome(router.match('GET', path, endpoint()));

describe('path specificity: static segment > typed placeholder > path/wildcard', () => {
  it('prefers a static segment, then a placeholder, then a rest capture', () => {
    const router = routerWith('/u/{p:path}', '/u/{name}', '/u/me');
    expect(get(router, '/u/me')).toBe('/u/me');
    expect(get(router, '/u/ada')).toBe('/u/{name}');
    expect(get(router, '/u/ada/x')).toBe('/u/{p:path}');
  });

  it('orders placeholder types from narrow to wide: int and bool, then float, then str', () => {
    const router = routerWith('/v/{s:str}', '/v/{f:float}', '/v/{i:int}', '/v/{b:bool}');
    expect(get(router, '/v/42')).toBe('/v/{i:int}');
    expect(get(router, '/v/4.2')).toBe('/v/{f:float}');
    expect(get(router, '/v/1e3')).toBe('/v/{f:float}');
    expect(get(router, '/v/true')).toBe('/v/{b:bool}');
    expect(get(router, '/v/ada')).toBe('/v/{s:str}');
  });

  it('falls back to a wider type when the narrow one does not convert (int overflow goes to str)', () => {
    const router = routerWith('/n/{i:int}', '/n/{s:str}');
    expect(get(router, '/n/9007199254740992')).toBe('/n/{s:str}');
  });

  it('prefers a segment with more literal text over a bare placeholder', () => {
    const router = routerWith('/f/{name}', '/f/{name}.json', '/f/file-{id:int}.json');
    expect(get(router, '/f/file-1.json')).toBe('/f/file-{id:int}.json');
    expect(get(router, '/f/data.json')).toBe('/f/{name}.json');
    expect(get(router, '/f/data.xml')).toBe('/f/{name}');
  });

  it('decides segment by segment from the left, backtracking when a later segment fails', () => {
    const router = routerWith('/a/{x}/c', '/a/b/{y}', '/a/{p:path}');
    expect(get(router, '/a/b/c')).toBe('/a/b/{y}');
    expect(get(router, '/a/z/c')).toBe('/a/{x}/c');
    expect(get(router, '/a/z/d')).toBe('/a/{p:path}');
    expect(get(router, '/a/b/c/d')).toBe('/a/{p:path}');
  });

  it('prefers a deeper static route to a wildcard', () => {
    const router = routerWith('/items/*', '/items/special', '/items/{id:int}/detail');
    expect(get(router, '/items/special')).toBe('/items/special');
    expect(get(router, '/items/7/detail')).toBe('/items/{id:int}/detail');
    expect(get(router, '/items/7')).toBe('/items/*');
    expect(get(router, '/items/7/other')).toBe('/items/*');
  });

  it('is not changed by registration order', () => {
    const templates = ['/a/{p:path}', '/a/{x:int}', '/a/{x:str}', '/a/one', '/a/{x:float}'];
    const forward = routerWith(...templates);
    const backward = routerWith(...[...templates].reverse());
    for (const path of ['/a/one', '/a/1', '/a/1.5', '/a/two', '/a/two/three']) {
      expect(get(backward, path)).toBe(get(forward, path));
    }
  });

  it('treats paths as case-sensitive and a trailing slash as significant', () => {
    const router = routerWith('/Docs', '/list/');
    expect(get(router, '/Docs')).toBe('/Docs');
    expect(get(router, '/docs')).toBe('not-found');
    expect(get(router, '/list/')).toBe('/list/');
    expect(get(router, '/list')).toBe('not-found');
  });

  it('matches the root', () => {
    const router = routerWith('/');
    expect(get(router, '/')).toBe('/');
    expect(get(router, '')).toBe('not-found');
    expect(get(router, '*')).toBe('not-found');
  });
});
