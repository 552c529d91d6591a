import { describe, expect, it } from 'vitest';
import { Redirect, ResponsesError } from '../src/index.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof ResponsesError ? error.code : `not coded: ${String(error)}`;
  }
  return undefined;
}

describe('Redirect', () => {
  it('defaults to 303 and accepts 301, 302, 307, 308', () => {
    expect(new Redirect('/new').status).toBe(303);
    for (const status of [301, 302, 307, 308] as const)
      expect(new Redirect('/x', status).status).toBe(status);
  });

  it.each([
    ['/a\r\nSet-Cookie: x=1'],
    ['/a\nLocation: //evil'],
    ['/a\rb'],
    ['/a\0b'],
    ['/a\tb'],
    ['/a\x7fb'],
    [''],
  ])('refuses location %j with BBWS_ERR_REDIRECT_LOCATION', (location) => {
    expect(codeOf(() => new Redirect(location))).toBe('BBWS_ERR_REDIRECT_LOCATION');
  });

  it('refuses a status that is not a redirect', () => {
    expect(codeOf(() => new Redirect('/x', 200 as never))).toBe('BBWS_ERR_REDIRECT_STATUS');
    expect(codeOf(() => new Redirect('/x', 304 as never))).toBe('BBWS_ERR_REDIRECT_STATUS');
  });

  it('percent-encodes spaces and non-ASCII as UTF-8, keeps existing escapes', () => {
    const r = new Redirect('/caf\u00e9 menu?q=%20x');
    expect(r.location).toBe('/caf%C3%A9%20menu?q=%20x');
    expect(r.headerLine).toBe('Location: /caf%C3%A9%20menu?q=%20x\r\n');
  });

  it('refuses a lone surrogate with a coded error', () => {
    expect(codeOf(() => new Redirect('/\ud800'))).toBe('BBWS_ERR_REDIRECT_LOCATION');
  });
});
