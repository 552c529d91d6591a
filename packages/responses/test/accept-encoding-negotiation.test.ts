import { describe, expect, it } from 'vitest';
import { isCompressibleType, negotiateEncoding } from '../src/index.js';

describe('negotiateEncoding', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, br', 'br'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['gzip;q=0.8, br', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['*;q=0.5, gzip;q=0.9', 'gzip'],
    ['*, br;q=0', 'gzip'],
    ['gzip;q=0, br;q=0', null],
    ['GZIP', 'gzip'],
    ['gzip;q=2', null],
    ['gzip;q=abc, br;q=0.1', 'br'],
    ['deflate', null],
  ])('%j → %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });

  it('honours the offered list', () => {
    expect(negotiateEncoding('br, gzip', ['gzip'])).toBe('gzip');
  });
});

describe('isCompressibleType', () => {
  it.each([
    ['text/plain; charset=utf-8', true],
    ['text/html', true],
    ['application/json; charset=utf-8', true],
    ['application/problem+json', true],
    ['application/javascript', true],
    ['image/svg+xml', true],
    ['text/event-stream', false],
    ['image/png', false],
    ['video/mp4', false],
    ['application/zip', false],
    ['application/gzip', false],
    ['application/octet-stream', false],
    ['font/woff2', false],
  ])('%s → %s', (type, expected) => {
    expect(isCompressibleType(type)).toBe(expected);
  });
});
