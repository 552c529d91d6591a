import { Controller, Dynamic, Get, MIME_TYPE, PartialContent, Redirect, Response } from 'bbwebservice';
import { TestClient } from 'bbwebservice/testing';
import { beforeAll, describe, expect, it } from 'vitest';

@Controller('::/')
class ResultsController {
  @Get('/string', { type: MIME_TYPE.HTML })
  string() {
    return '<b>hi</b>';
  }

  @Get('/bytes', { type: MIME_TYPE.PNG })
  bytes() {
    return new Uint8Array([1, 2, 3]);
  }

  @Get('/object', { type: MIME_TYPE.JSON })
  object() {
    return { a: 1 };
  }

  @Get('/undefined')
  nothing() {
    return undefined;
  }

  @Get('/dynamic/string', { type: MIME_TYPE.DYNAMIC })
  dynamicString() {
    return 'plain';
  }

  @Get('/dynamic/bytes', { type: MIME_TYPE.DYNAMIC })
  dynamicBytes() {
    return Buffer.from('raw');
  }

  @Get('/dynamic/object', { type: MIME_TYPE.DYNAMIC })
  dynamicObject() {
    return [1, 2];
  }

  @Get('/dynamic/dynamic', { type: MIME_TYPE.DYNAMIC })
  dynamic() {
    return new Dynamic('a,b\n', MIME_TYPE.CSV);
  }

  @Get('/response', { type: MIME_TYPE.TEXT })
  response() {
    return new Response('made', {
      status: 201,
      headers: [['X-Trace', 'abc']],
      cookies: { sid: { value: 's1', httpOnly: true, sameSite: 'lax', path: '/' }, theme: 'dark' },
    });
  }

  @Get('/response/typed', { type: MIME_TYPE.TEXT })
  responseTyped() {
    return new Response('{"ok":true}', { mimeType: MIME_TYPE.JSON });
  }

  @Get('/old')
  old() {
    return new Redirect('/new');
  }

  @Get('/moved')
  moved() {
    return new Redirect('/elsewhere', 308);
  }

  @Get('/evil-redirect')
  evilRedirect() {
    return new Redirect('/x\r\nSet-Cookie: admin=1');
  }

  @Get('/evil-header')
  evilHeader() {
    return new Response('x', { headers: { 'X-A': 'a\nSet-Cookie: admin=1' } });
  }

  @Get('/missing-file')
  missingFile() {
    return new PartialContent('/does/not/exist.bin');
  }
}

let client: TestClient;
beforeAll(async () => {
  client = await TestClient.create({ controllers: [ResultsController] });
});

describe('return values', () => {
  it('string → 200 with the route type', async () => {
    const res = await client.get('/string');
    expect([res.status, res.headers['content-type'], res.text()]).toEqual([
      200,
      'text/html; charset=utf-8',
      '<b>hi</b>',
    ]);
  });

  it('bytes → 200 with the route type', async () => {
    const res = await client.get('/bytes');
    expect(res.headers['content-type']).toBe('image/png');
    expect([...res.bytes()]).toEqual([1, 2, 3]);
  });

  it('object → JSON', async () => {
    expect((await client.get('/object')).json()).toEqual({ a: 1 });
  });

  it('undefined → 204 without a body', async () => {
    const res = await client.get('/undefined');
    expect(res.status).toBe(204);
    expect(res.bytes().length).toBe(0);
  });

  it('on DYNAMIC routes: strings are text, bytes binary, objects JSON, Dynamic its own type', async () => {
    expect((await client.get('/dynamic/string')).headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((await client.get('/dynamic/bytes')).headers['content-type']).toBe('application/octet-stream');
    const object = await client.get('/dynamic/object');
    expect(object.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(object.json()).toEqual([1, 2]);
    expect((await client.get('/dynamic/dynamic')).headers['content-type']).toBe('text/csv; charset=utf-8');
  });

  it('Response → its status, headers and one Set-Cookie line per cookie', async () => {
    const res = await client.get('/response');
    expect(res.status).toBe(201);
    expect(res.headers['x-trace']).toBe('abc');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headerList.filter(([name]) => name === 'set-cookie').map(([, v]) => v)).toEqual([
      'sid=s1; Path=/; HttpOnly; SameSite=Lax',
      'theme=dark',
    ]);
    expect((await client.get('/response/typed')).headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
  });

  it('Redirect → 303 by default, or the status given, with Location and no body', async () => {
    const see = await client.get('/old');
    expect([see.status, see.headers['location'], see.bytes().length]).toEqual([303, '/new', 0]);
    const moved = await client.get('/moved');
    expect([moved.status, moved.headers['location']]).toEqual([308, '/elsewhere']);
  });

  it('header injection through Redirect or Response fails in the handler (500), nothing is injected', async () => {
    for (const path of ['/evil-redirect', '/evil-header']) {
      const res = await client.get(path);
      expect(res.status).toBe(500);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('a missing file → 404 through the app error path', async () => {
    expect((await client.get('/missing-file')).status).toBe(404);
  });
});

@Controller('::/dyn')
class DynamicResponses {
  @Get('/text', { type: MIME_TYPE.DYNAMIC })
  text() {
    return new Response('t');
  }

  @Get('/bytes', { type: MIME_TYPE.DYNAMIC })
  bytes() {
    return new Response(new Uint8Array([1]));
  }
}

describe('Response on a DYNAMIC route without its own type', () => {
  it('is text for a string body and binary for bytes', async () => {
    const dyn = await TestClient.create({ controllers: [DynamicResponses] });
    expect((await dyn.get('/dyn/text')).headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((await dyn.get('/dyn/bytes')).headers['content-type']).toBe('application/octet-stream');
  });
});
