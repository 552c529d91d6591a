import { describe, expect, it } from 'vitest';
import { formatSelector, parseSelector, RouterError } from '../src/index.js';

function errorOf(selector: string): RouterError {
  try {
    parseSelector(selector);
  } catch (error) {
    if (error instanceof RouterError) return error;
    throw error;
  }
  throw new Error(`${selector} parsed without error`);
}

describe('selector grammar: valid selectors', () => {
  it.each([
    ['/status', null, null, null, '/status'],
    ['::/status', null, null, null, '/status'],
    [':::/status', null, null, null, '/status'],
    ['127.0.0.1::/debug', '127.0.0.1', null, null, '/debug'],
    ['127.0.0.1:8000::/debug', '127.0.0.1', 8000, null, '/debug'],
    [':8000::/x', null, 8000, null, '/x'],
    [':::example.com:/info', null, null, 'example.com', '/info'],
    ['::example.com:/info', null, null, 'example.com', '/info'],
    [':::Example.COM:/info', null, null, 'example.com', '/info'],
    [':443::api.example.com:/v1', null, 443, 'api.example.com', '/v1'],
    ['10.0.0.1:::example.com:/x', '10.0.0.1', null, 'example.com', '/x'],
    ['10.0.0.1:80::example.com:/x', '10.0.0.1', 80, 'example.com', '/x'],
    ['[::1]:8000::/v1/{slug:str}', '::1', 8000, null, '/v1/{slug:str}'],
    ['[::1]::/x', '::1', null, null, '/x'],
    ['[0:0:0:0:0:0:0:1]::/x', '::1', null, null, '/x'],
    ['[2001:DB8:0:0:1:0:0:1]::/x', '2001:db8::1:0:0:1', null, null, '/x'],
    ['[2001:db8::0:1]::/x', '2001:db8::1', null, null, '/x'],
    ['[::ffff:127.0.0.1]::/x', '::ffff:127.0.0.1', null, null, '/x'],
    ['[::FFFF:7f00:1]::/x', '::ffff:127.0.0.1', null, null, '/x'],
    ['[fe80::1%eth0]::/x', 'fe80::1%eth0', null, null, '/x'],
    ['::/', null, null, null, '/'],
  ])('%s', (selector, ip, port, domain, path) => {
    expect(parseSelector(selector)).toMatchObject({ ip, port, domain, path });
  });

  it('parses a selector without a path as a prefix with path ""', () => {
    expect(parseSelector('127.0.0.1::')).toMatchObject({
      ip: '127.0.0.1',
      port: null,
      domain: null,
      path: '',
    });
    expect(parseSelector(':::example.com')).toMatchObject({ domain: 'example.com', path: '' });
    expect(parseSelector('')).toMatchObject({ ip: null, port: null, domain: null, path: '' });
  });

  it('lists the placeholders of the path', () => {
    expect(parseSelector('::/u/{name}/{age:int}/*').placeholders).toEqual([
      { name: 'name', type: 'str' },
      { name: 'age', type: 'int' },
      { name: '*', type: 'path' },
    ]);
  });

  it.each([
    '::/x',
    '127.0.0.1::/x',
    ':8000::/x',
    '[::1]:8000::/x',
    ':::example.com:/x',
    '10.0.0.1:::example.com:/x',
    ':80::example.com:/x',
  ])('formats %s back to itself', (selector) => {
    expect(formatSelector(parseSelector(selector))).toBe(selector);
  });
});

describe('selector grammar: invalid selectors name the selector, the position and what was expected', () => {
  it.each([
    ['localhost::/x', 0, 'expected "/", ":" or an IP address'],
    ['300.0.0.1::/x', 0, 'expected an IPv4 octet from 0 to 255, found "300"'],
    ['127.0.0.01::/x', 8, 'expected an IPv4 octet without leading zeros, found "01"'],
    ['127.0.0::/x', 7, 'expected "." (an IPv4 address has four octets)'],
    ['127.0.0.1/x', 9, 'expected ":" after the IP address'],
    ['127.0.0.1:80/x', 12, 'expected "::" after the port'],
    [':0::/x', 1, 'expected a port from 1 to 65535, found "0"'],
    [':65536::/x', 1, 'expected a port from 1 to 65535, found "65536"'],
    [':080::/x', 1, 'expected a port from 1 to 65535, found "080"'],
    [':x::/x', 1, 'expected a port number or "::"'],
    ['::::/x', 3, 'expected a domain or "/" after ":::"'],
    ['[::1::/x', 8, 'expected "]" to close the IPv6 address, found the end'],
    ['[::g]::/x', 3, 'expected a hexadecimal digit (IPv6 group)'],
    ['[1::2::3]::/x', 5, 'expected at most one "::" in an IPv6 address'],
    ['[1:2:3]::/x', 1, 'expected eight groups of an IPv6 address'],
    ['[12345::1]::/x', 5, 'expected at most four hexadecimal digits per IPv6 group'],
    ['::1::/x', 4, 'IPv6 addresses go in brackets'],
    [':::exa mple.com:/x', 6, 'expected a domain character'],
    [':::example..com:/x', 11, 'expected a domain label'],
    [':::-example.com:/x', 3, 'expected a domain label that does not start with "-"'],
    [':::example.com/x', 14, 'expected ":" between the domain and the path'],
    [':::example.com:x', 15, 'expected "/" after "domain:"'],
  ])('%s', (selector, position, expected) => {
    const error = errorOf(selector);
    expect(error.code).toBe('BBWS_ERR_ROUTE_SELECTOR');
    expect(error.selector).toBe(selector);
    expect(error.position).toBe(position);
    expect(error.message).toContain(`Invalid selector ${JSON.stringify(selector)} at position ${position}`);
    expect(error.message).toContain(expected);
  });

  it('shows the selector with a caret under the offending character', () => {
    expect(errorOf('127.0.0.1:99999::/x').message).toBe(
      'Invalid selector "127.0.0.1:99999::/x" at position 10: expected a port from 1 to 65535, found "99999"\n' +
        '  127.0.0.1:99999::/x\n' +
        '            ^',
    );
  });
});
