import { describe, expect, it } from 'vitest';
import { Dynamic, MIME_TYPE, Redirect, Response } from '../src/index.js';

describe('response helpers', () => {
  it('Redirect defaults to 303', () => {
    expect(new Redirect('/new').status).toBe(303);
    expect(new Redirect('/new', 308).status).toBe(308);
  });

  it('Response keeps status, headers as pairs, and mime type', () => {
    const r = new Response('x', { status: 201, headers: { 'X-A': '1' }, mimeType: MIME_TYPE.JSON });
    expect(r.status).toBe(201);
    expect(r.headers).toEqual([['X-A', '1']]);
    expect(r.mimeType).toBe('application/json; charset=utf-8');
  });

  it('Dynamic carries its own type', () => {
    expect(new Dynamic('<p/>', MIME_TYPE.HTML).mimeType).toBe(MIME_TYPE.HTML);
  });
});
