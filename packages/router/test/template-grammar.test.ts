import { describe, expect, it } from 'vitest';
import { parseSelector, Router, RouterError } from '../src/index.js';

function templateError(selector: string): RouterError {
  try {
    parseSelector(selector);
  } catch (error) {
    if (error instanceof RouterError) return error;
    throw error;
  }
  throw new Error(`${selector} parsed without error`);
}

describe('template grammar: valid templates', () => {
  it.each([
    ['/', '/'],
    ['/a/b/', '/a/b/'],
    ['/user/{name:str}/{age:int}', '/user/{name:str}/{age:int}'],
    ['/user/{name}', '/user/{name:str}'],
    ['/files/file-{id:int}.json', '/files/file-{id:int}.json'],
    ['/v/{major:int}.{minor:int}', '/v/{major:int}.{minor:int}'],
    ['/m/{x:float}/{on:bool}', '/m/{x:float}/{on:bool}'],
    ['/static/{rest:path}', '/static/{rest:path}'],
    ['/{all:path}', '/{all:path}'],
    ['/items/*', '/items/*'],
    ['/*', '/*'],
    ["/a:b@c!$&'()+,;=", "/a:b@c!$&'()+,;="],
    ['/caf\u00e9', '/caf%C3%A9'],
    ['/%7e%41%2f%2F', '/~A%2F%2F'],
    ['/_x/{_y1}', '/_x/{_y1:str}'],
  ])('%s', (path, canonical) => {
    expect(parseSelector(`::${path}`).path).toBe(canonical);
  });
});

describe('template grammar: invalid templates point at the offending character', () => {
  it.each([
    ['::/a/{x:foo}', 8, 'expected a placeholder type: str, int, float, bool or path, found "foo"'],
    ['::/a/{x:}', 8, 'expected a placeholder type: str, int, float, bool or path, found "}"'],
    ['::/a/{1x}', 6, 'expected a placeholder name (a letter or "_"), found "1"'],
    ['::/a/{}', 6, 'expected a placeholder name'],
    ['::/a/{x-y}', 7, 'expected ":" or "}" after the placeholder name, found "-"'],
    ['::/a/{x:int', 11, 'expected "}" to close the placeholder, found the end'],
    ['::/a/{x:int/b}', 11, 'expected "}" to close the placeholder, found "/"'],
    [
      '::/a/{a:int}{b:int}',
      12,
      'expected a literal separator between two placeholders ({a:int}{b:int} is ambiguous), found "{"',
    ],
    ['::/a/{x}/{x:int}', 10, 'expected a placeholder name not used before in this template, found "x"'],
    ['::/a/{p:path}/b', 13, 'a path placeholder or "*" must be the last segment'],
    ['::/a/{p:path}/{q:path}', 13, 'must be the last segment'],
    ['::/a/x{p:path}', 6, 'expected {name:path} to be a whole segment, found "{"'],
    ['::/a/{p:path}.txt', 5, 'expected {name:path} to be a whole segment'],
    ['::/a/*/b', 5, '"*" is a wildcard only as the whole last segment'],
    ['::/a/b*', 6, '"*" is a wildcard only as the whole last segment; write %2A for a literal asterisk'],
    ['::/a/}', 5, '"}" closes no placeholder; write %7D for a literal brace'],
    ['::/a b', 4, 'expected a path character (write it percent-encoded: %20), found " "'],
    ['::/a?b=1', 4, 'the query and fragment are not part of a route'],
    ['::/a#top', 4, 'the query and fragment are not part of a route'],
    ['::/a/%zz', 6, 'expected two hexadecimal digits after "%", found "z"'],
    ['::/a/%2', 7, 'expected two hexadecimal digits after "%", found the end'],
    ['::/a//b', 5, 'expected a path segment ("//" makes an empty segment), found "/"'],
    ['::/a/../b', 5, 'expected a segment other than "." or "..", found ".."'],
    ['::/./b', 3, 'expected a segment other than "." or ".."'],
  ])('%s', (selector, position, expected) => {
    const error = templateError(selector);
    expect(error.code).toBe('BBWS_ERR_ROUTE_TEMPLATE');
    expect(error.position).toBe(position);
    expect(error.message).toContain(`${JSON.stringify(selector)} at position ${position}`);
    expect(error.message).toContain(expected);
    expect(error.message.split('\n')[2]).toBe(`  ${' '.repeat(position)}^`);
  });

  it('reports the first problem of the selector, counting positions from its start', () => {
    const error = templateError('127.0.0.1:8000::/v1/{slug:text}');
    expect(error.position).toBe(26);
    expect(error.message).toBe(
      'Invalid path template in selector "127.0.0.1:8000::/v1/{slug:text}" at position 26: expected a placeholder type: str, int, float, bool or path, found "text"\n' +
        '  127.0.0.1:8000::/v1/{slug:text}\n' +
        `  ${' '.repeat(26)}^`,
    );
  });

  it('refuses a route without a path at add', () => {
    const router = new Router<number>();
    expect(() => router.add('GET', '127.0.0.1::', 1)).toThrow(
      expect.objectContaining({ code: 'BBWS_ERR_ROUTE_TEMPLATE', position: 11 }),
    );
  });

  it('refuses a method that is not an HTTP token at add', () => {
    const router = new Router<number>();
    expect(() => router.add('GE T', '/x', 1)).toThrow(
      expect.objectContaining({ code: 'BBWS_ERR_ROUTE_METHOD', message: expect.stringContaining('"GE T"') }),
    );
    expect(() => router.add('', '/x', 1)).toThrow(expect.objectContaining({ code: 'BBWS_ERR_ROUTE_METHOD' }));
  });
});
