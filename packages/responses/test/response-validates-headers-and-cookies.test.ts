import { describe, expect, it } from 'vitest';
import { Dynamic, MIME_TYPE, mimeTypeForPath, Response, ResponsesError } from '../src/index.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof ResponsesError ? error.code : `not coded: ${String(error)}`;
  }
  return undefined;
}

describe('Response', () => {
  it('builds its header block from headers and cookies with attributes', () => {
    const r = new Response('x', {
      status: 201,
      headers: [
        ['X-A', '1'],
        ['Link', '</a>'],
        ['Link', '</b>'],
      ],
      cookies: {
        sid: { value: 'abc', httpOnly: true, sameSite: 'strict', path: '/', maxAge: 60 },
        theme: 'dark',
      },
    });
    expect(r.status).toBe(201);
    expect(r.headerLines).toBe(
      'X-A: 1\r\nLink: </a>\r\nLink: </b>\r\n' +
        'Set-Cookie: sid=abc; Max-Age=60; Path=/; HttpOnly; SameSite=Strict\r\n' +
        'Set-Cookie: theme=dark\r\n',
    );
    expect(r.typeLine).toBe('');
  });

  it('keeps its MIME type as a Content-Type line', () => {
    expect(new Response('{}', { mimeType: MIME_TYPE.JSON }).typeLine).toBe(
      'Content-Type: application/json; charset=utf-8\r\n',
    );
  });

  it.each([
    [{ headers: { 'X-A': 'v\r\nX-Injected: 1' } }, 'BBWS_ERR_RESPONSE_HEADER'],
    [{ headers: { 'X A': 'v' } }, 'BBWS_ERR_RESPONSE_HEADER'],
    [{ headers: { 'X-A': 'nul\0' } }, 'BBWS_ERR_RESPONSE_HEADER'],
    [{ headers: { 'Content-Length': '5' } }, 'BBWS_ERR_RESPONSE_HEADER'],
    [{ headers: { 'transfer-encoding': 'chunked' } }, 'BBWS_ERR_RESPONSE_HEADER'],
    [{ cookies: { 'bad name': 'v' } }, 'BBWS_ERR_COOKIE_INVALID'],
    [{ cookies: { ok: { value: 'v', domain: 'a\r\nb' } } }, 'BBWS_ERR_COOKIE_INVALID'],
    [{ status: 99 }, 'BBWS_ERR_RESPONSE_STATUS'],
    [{ status: 600 }, 'BBWS_ERR_RESPONSE_STATUS'],
    [{ status: 200.5 }, 'BBWS_ERR_RESPONSE_STATUS'],
    [{ mimeType: 'text/html\r\nX: y' }, 'BBWS_ERR_MIME_TYPE_INVALID'],
  ])('refuses %j with %s', (init, code) => {
    expect(codeOf(() => new Response('x', init as never))).toBe(code);
  });

  it('notices a handler-set Content-Encoding', () => {
    expect(new Response('x', { headers: { 'Content-Encoding': 'gzip' } }).isEncoded).toBe(true);
    expect(new Response('x').isEncoded).toBe(false);
  });
});

describe('Dynamic and MIME types', () => {
  it('Dynamic validates its type', () => {
    expect(new Dynamic('<p/>', MIME_TYPE.HTML).typeLine).toBe('Content-Type: text/html; charset=utf-8\r\n');
    expect(codeOf(() => new Dynamic('x', 'text/plain\nX: 1'))).toBe('BBWS_ERR_MIME_TYPE_INVALID');
    expect(codeOf(() => new Dynamic('x', ''))).toBe('BBWS_ERR_MIME_TYPE_INVALID');
  });

  it('looks types up by extension', () => {
    expect(mimeTypeForPath('/content/movie.mp4')).toBe('video/mp4');
    expect(mimeTypeForPath('a/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeForPath('a/noext')).toBeNull();
    expect(mimeTypeForPath('a.dir/.hidden')).toBeNull();
  });

  it('DYNAMIC is a marker, every other entry a type', () => {
    for (const [key, value] of Object.entries(MIME_TYPE)) {
      if (key === 'DYNAMIC') continue;
      expect(value).toMatch(/^[a-z]+\/[\w.+-]+(; charset=utf-8)?$/);
    }
  });
});
