import { describe, expect, it } from 'vitest';
import { Router } from '../src/index.js';
import { endpoint, outcome } from './support/endpoint.js';

describe('percent-encoding', () => {
  const router = new Router<string>();
  router.add('GET', '/caf\u00e9/menu', 'cafe');
  router.add('GET', '/~user/{name}', 'user');
  router.add('GET', '/a%2Fb', 'encoded slash literal');
  router.add('GET', '/a/b', 'two segments');
  router.add('GET', '/q/{text}', 'text');

  it('matches unreserved characters encoded or not, and hex digits in either case', () => {
    expect(outcome(router.match('GET', '/%7Euser/x', endpoint()))).toBe('user');
    expect(outcome(router.match('GET', '/%7euser/x', endpoint()))).toBe('user');
    expect(outcome(router.match('GET', '/caf%C3%A9/menu', endpoint()))).toBe('cafe');
    expect(outcome(router.match('GET', '/caf%c3%a9/%6Denu', endpoint()))).toBe('cafe');
  });

  it('splits on / before decoding: %2F is never a separator', () => {
    expect(outcome(router.match('GET', '/a%2Fb', endpoint()))).toBe('encoded slash literal');
    expect(outcome(router.match('GET', '/a%2fb', endpoint()))).toBe('encoded slash literal');
    expect(outcome(router.match('GET', '/a/b', endpoint()))).toBe('two segments');
  });

  it('decodes each captured value once, after matching', () => {
    expect(router.match('GET', '/q/100%25', endpoint())).toMatchObject({ params: { text: '100%' } });
    expect(router.match('GET', '/q/%2541', endpoint())).toMatchObject({ params: { text: '%41' } });
    expect(router.match('GET', '/~user/%F0%9F%98%80', endpoint())).toMatchObject({ params: { name: '😀' } });
  });

  it('answers not-found for a malformed escape', () => {
    expect(outcome(router.match('GET', '/q/%zz', endpoint()))).toBe('not-found');
    expect(outcome(router.match('GET', '/q/%4', endpoint()))).toBe('not-found');
    expect(outcome(router.match('GET', '/q/%', endpoint()))).toBe('not-found');
  });
});

describe('a path with escapes is matched in its canonical form, whatever its raw form reaches first', () => {
  const router = new Router<string>();
  router.add('GET', '/hello', 'static');
  router.add('GET', '/{name}', 'capture');
  router.add('GET', '/n/{id:int}', 'int');
  router.add('GET', '/n/{text}', 'text');
  router.add('POST', '/p/only-post', 'post');
  router.add('GET', '/files/{p:path}', 'rest');
  router.add('GET', '/files/a%2Fb', 'static under a rest capture');

  it('a static route wins over the capture the raw path would reach', () => {
    expect(outcome(router.match('GET', '/hell%6F', endpoint()))).toBe('static');
    expect(outcome(router.match('GET', '/%68ello', endpoint()))).toBe('static');
    expect(outcome(router.match('HEAD', '/hell%6f', endpoint()))).toBe('static');
    expect(router.match('GET', '/hell%2F', endpoint())).toMatchObject({
      value: 'capture',
      params: { name: 'hell/' },
    });
  });

  it('a narrower placeholder wins when the decoded value fits it', () => {
    expect(router.match('GET', '/n/%34%32', endpoint())).toMatchObject({ value: 'int', params: { id: 42 } });
    expect(router.match('GET', '/n/%34x', endpoint())).toMatchObject({
      value: 'text',
      params: { text: '4x' },
    });
  });

  it('a path the raw form matches nowhere is looked up, and refused, canonically', () => {
    expect(router.match('GET', '/p/only%2Dpost', endpoint())).toEqual({
      kind: 'method-not-allowed',
      allow: 'POST',
    });
    expect(outcome(router.match('GET', '/files/a%2fb', endpoint()))).toBe('static under a rest capture');
    expect(outcome(router.match('GET', '/files/%zz', endpoint()))).toBe('not-found');
  });
});

describe('traversal cannot escape a {p:path}', () => {
  const router = new Router<string>();
  router.add('GET', '/static/{file:path}', 'static');
  router.add('GET', '/admin/secret', 'secret');

  it.each([
    '/static/../admin/secret',
    '/static/..',
    '/static/a/../../admin/secret',
    '/static/%2E%2E/admin/secret',
    '/static/%2e%2e/admin',
    '/static/.%2E/x',
    '/static/./x',
    '/static/a/.',
    '/static/..%2Fadmin%2Fsecret',
    '/static/..%2fadmin',
    '/static/a%2Fb',
    '/static/..%5Cadmin',
    '/static/a%5cb',
    '/static//etc/passwd',
    '/static/a//b',
    '/static/a%00.txt',
  ])('%s does not match the static route', (path) => {
    expect(outcome(router.match('GET', path, endpoint()))).toBe('not-found');
  });

  it('does not resolve dot segments into another route either', () => {
    expect(outcome(router.match('GET', '/static/../admin/secret', endpoint()))).not.toBe('secret');
    expect(outcome(router.match('GET', '/admin/x/../secret', endpoint()))).toBe('not-found');
  });

  it('accepts names that merely contain dots', () => {
    expect(router.match('GET', '/static/a..b/.hidden/x.tar.gz', endpoint())).toMatchObject({
      params: { file: 'a..b/.hidden/x.tar.gz' },
    });
    expect(router.match('GET', '/static/...', endpoint())).toMatchObject({ params: { file: '...' } });
  });

  it('applies the same rules to a trailing *', () => {
    const r = new Router<string>();
    r.add('GET', '/items/*', 'items');
    expect(outcome(r.match('GET', '/items/../x', endpoint()))).toBe('not-found');
    expect(outcome(r.match('GET', '/items/a%2Fb', endpoint()))).toBe('not-found');
    expect(r.match('GET', '/items/a/b%20c', endpoint())).toMatchObject({ params: { '*': 'a/b c' } });
  });
});
