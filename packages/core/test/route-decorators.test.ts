import { TestClient } from '@bbws/testing';
import { describe, expect, it } from 'vitest';
import { Controller, CoreError, Delete, Get, Head, Options, Patch, Post, Put, Route } from '../src/index.js';

@Controller('::/v')
class VerbController {
  @Get('/r') get() {
    return 'get';
  }
  @Post('/r') post() {
    return 'post';
  }
  @Put('/r') put() {
    return 'put';
  }
  @Patch('/r') patch() {
    return 'patch';
  }
  @Delete('/r') del() {
    return 'delete';
  }
  @Route(['PROPFIND', 'REPORT'], '/dav') dav() {
    return 'dav';
  }
  @Options('/o') options() {
    return 'custom options';
  }
  @Head('/h') head() {
    return 'has body that HEAD drops';
  }
}

describe('route decorators', () => {
  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])('%s reaches its method', async (method) => {
    const client = await TestClient.create({ controllers: [VerbController] });
    const res = await client.request({ method, path: '/v/r' });
    expect(res.status).toBe(200);
    expect(res.text()).toBe(method === 'DELETE' ? 'delete' : method.toLowerCase());
  });

  it('@Route registers any method tokens', async () => {
    const client = await TestClient.create({ controllers: [VerbController] });
    expect((await client.request({ method: 'PROPFIND', path: '/v/dav' })).text()).toBe('dav');
    expect((await client.request({ method: 'REPORT', path: '/v/dav' })).text()).toBe('dav');
  });

  it('answers 405 with Allow for a method the path lacks', async () => {
    const client = await TestClient.create({ controllers: [VerbController] });
    const res = await client.request({ method: 'PROPFIND', path: '/v/r' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('DELETE, GET, HEAD, PATCH, POST, PUT');
  });

  it('answers 501 for a method no route of the app knows, 405 for a known one', async () => {
    const client = await TestClient.create({ controllers: [VerbController] });
    expect((await client.request({ method: 'BREW', path: '/v/r' })).status).toBe(501);
    expect((await client.request({ method: 'BREW', path: '/nowhere' })).status).toBe(501);
    expect((await client.request({ method: 'TRACE', path: '/v/r' })).status).toBe(405);
    // PROPFIND is used by a route elsewhere, so on /v/r it is a 405 with Allow.
    expect((await client.request({ method: 'PROPFIND', path: '/v/r' })).status).toBe(405);
  });

  it('answers OPTIONS automatically with Allow, unless a route handles it', async () => {
    const client = await TestClient.create({ controllers: [VerbController] });
    const auto = await client.request({ method: 'OPTIONS', path: '/v/r' });
    expect(auto.status).toBe(204);
    expect(auto.headers.allow).toContain('GET');
    expect((await client.request({ method: 'OPTIONS', path: '/v/o' })).text()).toBe('custom options');
  });

  it('HEAD on a GET route has the GET headers and no body; @Head routes work', async () => {
    const client = await TestClient.create({ controllers: [VerbController] });
    const res = await client.request({ method: 'HEAD', path: '/v/r' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('3');
    expect(res.bytes().length).toBe(0);
    expect((await client.request({ method: 'HEAD', path: '/v/h' })).status).toBe(200);
  });

  it('refuses a method that is not a token, at decoration time', () => {
    expect(() => Route('GE T', '/x')).toThrow(CoreError);
    expect(() => Route([], '/x')).toThrow(/no HTTP method/);
  });

  it('refuses a parameter decorator on a constructor parameter', async () => {
    const { Param } = await import('../src/index.js');
    expect(() => {
      @Controller()
      class Bad {
        constructor(@Param('x') readonly x: string) {}
      }
      return Bad;
    }).toThrow(/constructor parameter/);
  });
});
