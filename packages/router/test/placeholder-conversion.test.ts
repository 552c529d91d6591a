import { describe, expect, it } from 'vitest';
import { type RouteParams, Router } from '../src/index.js';
import { endpoint } from './support/endpoint.js';

/** The params of `GET path` on a router with the single route `template`, or null when nothing matched. */
function paramsOf(template: string, path: string): RouteParams | null {
  const router = new Router<string>();
  router.add('GET', `::${template}`, 'route');
  const result = router.match('GET', path, endpoint());
  return result.kind === 'found' ? result.params : null;
}

describe('int', () => {
  it.each([
    ['/42', 42],
    ['/0', 0],
    ['/-17', -17],
    ['/007', 7],
    ['/9007199254740991', Number.MAX_SAFE_INTEGER],
    ['/-9007199254740991', -Number.MAX_SAFE_INTEGER],
  ])('%s gives %d', (path, value) => {
    expect(paramsOf('/{n:int}', path)).toEqual({ n: value });
  });

  it('turns -0 into 0', () => {
    const n = paramsOf('/{n:int}', '/-0')?.['n'];
    expect(Object.is(n, 0)).toBe(true);
  });

  it.each([
    '/9007199254740992',
    '/-9007199254740992',
    '/99999999999999999999',
    '/1e3',
    '/1.0',
    '/+1',
    '/%2B1',
    '/-',
    '/1-',
    '/0x10',
    '/ 1',
    '/%201',
    '/١٢',
  ])('%s does not match (overflow beyond a safe integer, or not decimal digits)', (path) => {
    expect(paramsOf('/{n:int}', path)).toBeNull();
  });

  it('reads percent-encoded digits after decoding (%34%32 is 42)', () => {
    expect(paramsOf('/{n:int}', '/%34%32')).toEqual({ n: 42 });
  });
});

describe('float', () => {
  it.each([
    ['/1.5', 1.5],
    ['/42', 42],
    ['/-2.25', -2.25],
    ['/1e3', 1000],
    ['/1E-2', 0.01],
    ['/1e+3', 1000],
    ['/.5', 0.5],
    ['/5.', 5],
    ['/1.5e2', 150],
  ])('%s gives %d', (path, value) => {
    expect(paramsOf('/{x:float}', path)).toEqual({ x: value });
  });

  it('keeps the sign of -0 and -0.0', () => {
    expect(Object.is(paramsOf('/{x:float}', '/-0')?.['x'], -0)).toBe(true);
    expect(Object.is(paramsOf('/{x:float}', '/-0.0')?.['x'], -0)).toBe(true);
  });

  it.each([
    '/1e999',
    '/-1e999',
    '/Infinity',
    '/NaN',
    '/0x1A',
    '/+1.5',
    '/1e',
    '/e3',
    '/.',
    '/1.2.3',
    '/1,5',
    '/1_000',
  ])('%s does not match (not finite or not a decimal number)', (path) => {
    expect(paramsOf('/{x:float}', path)).toBeNull();
  });
});

describe('bool', () => {
  it.each([
    ['/true', true],
    ['/false', false],
    ['/TRUE', true],
    ['/False', false],
    ['/tRuE', true],
  ])('%s gives %s', (path, value) => {
    expect(paramsOf('/{on:bool}', path)).toEqual({ on: value });
  });

  it.each(['/1', '/0', '/yes', '/no', '/on', '/truee', '/t', '/'])('%s does not match', (path) => {
    expect(paramsOf('/{on:bool}', path)).toBeNull();
  });
});

describe('str', () => {
  it('matches any non-empty segment text, decoded', () => {
    expect(paramsOf('/u/{name:str}', '/u/ada')).toEqual({ name: 'ada' });
    expect(paramsOf('/u/{name}', '/u/J%C3%BCrgen%20M')).toEqual({ name: 'Jürgen M' });
    expect(paramsOf('/u/{name}', '/u/a+b')).toEqual({ name: 'a+b' });
    expect(paramsOf('/u/{name}', '/u/42')).toEqual({ name: '42' });
  });

  it('decodes an encoded slash inside the value (the segment was split before decoding)', () => {
    expect(paramsOf('/u/{name}/x', '/u/a%2Fb/x')).toEqual({ name: 'a/b' });
  });

  it('does not match an empty segment, a dot segment or invalid UTF-8', () => {
    expect(paramsOf('/u/{name}', '/u/')).toBeNull();
    expect(paramsOf('/u/{name}', '/u')).toBeNull();
    expect(paramsOf('/u/{name}', '/u/.')).toBeNull();
    expect(paramsOf('/u/{name}', '/u/..')).toBeNull();
    expect(paramsOf('/u/{name}', '/u/%2E%2e')).toBeNull();
    expect(paramsOf('/u/{name}', '/u/%FF')).toBeNull();
    expect(paramsOf('/u/{name}', '/u/%C3')).toBeNull();
  });
});

describe('path and wildcard', () => {
  it('captures the rest of the path, decoded segment by segment', () => {
    expect(paramsOf('/static/{p:path}', '/static/css/site%20main.css')).toEqual({ p: 'css/site main.css' });
    expect(paramsOf('/static/{p:path}', '/static/a')).toEqual({ p: 'a' });
    expect(paramsOf('/items/*', '/items/a/b/c')).toEqual({ '*': 'a/b/c' });
  });

  it('captures "" for the bare directory, and needs its slash', () => {
    expect(paramsOf('/static/{p:path}', '/static/')).toEqual({ p: '' });
    expect(paramsOf('/items/*', '/items/')).toEqual({ '*': '' });
    expect(paramsOf('/static/{p:path}', '/static')).toBeNull();
    expect(paramsOf('/items/*', '/items')).toBeNull();
  });

  it('keeps a trailing slash', () => {
    expect(paramsOf('/static/{p:path}', '/static/docs/')).toEqual({ p: 'docs/' });
  });
});

describe('several placeholders in one segment', () => {
  it('splits at the literal separators', () => {
    expect(paramsOf('/files/file-{id:int}.json', '/files/file-12.json')).toEqual({ id: 12 });
    expect(paramsOf('/v/{major:int}.{minor:int}', '/v/3.14')).toEqual({ major: 3, minor: 14 });
    expect(paramsOf('/d/{y:int}-{m:int}-{d:int}', '/d/2024-05-17')).toEqual({ y: 2024, m: 5, d: 17 });
  });

  it('ends a placeholder at the first separator that lets the rest match', () => {
    expect(paramsOf('/f/{name}.{ext}', '/f/archive.tar.gz')).toEqual({ name: 'archive', ext: 'tar.gz' });
    expect(paramsOf('/f/{name}.{n:int}', '/f/a.b.3')).toEqual({ name: 'a.b', n: 3 });
  });

  it('does not match when a typed piece does not convert or a literal is missing', () => {
    expect(paramsOf('/files/file-{id:int}.json', '/files/file-x.json')).toBeNull();
    expect(paramsOf('/files/file-{id:int}.json', '/files/file-12.txt')).toBeNull();
    expect(paramsOf('/files/file-{id:int}.json', '/files/file-.json')).toBeNull();
  });
});

describe('params objects', () => {
  it('have no prototype, so names like __proto__ or constructor are plain keys', () => {
    const params = paramsOf('/{constructor}/{toString:int}/{__proto__}', '/a/1/b');
    expect(params).not.toBeNull();
    expect(Object.getPrototypeOf(params)).toBeNull();
    expect(params?.['constructor']).toBe('a');
    expect(params?.['toString']).toBe(1);
    expect(Object.getOwnPropertyDescriptor(params, '__proto__')?.value).toBe('b');
    expect(Object.keys(params ?? {})).toEqual(['constructor', 'toString', '__proto__']);
  });

  it('are one shared frozen empty object for routes without placeholders', () => {
    const router = new Router<string>();
    router.add('GET', '/a', 'a');
    router.add('GET', '/b', 'b');
    const a = router.match('GET', '/a', endpoint());
    const b = router.match('GET', '/b', endpoint());
    if (a.kind !== 'found' || b.kind !== 'found') throw new Error('no match');
    expect(a.params).toBe(b.params);
    expect(Object.isFrozen(a.params)).toBe(true);
    expect(Object.keys(a.params)).toEqual([]);
    expect(Object.getPrototypeOf(a.params)).toBeNull();
  });
});
