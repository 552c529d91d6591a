import { TestClient } from '@bbws/testing';
import { describe, expect, it } from 'vitest';
import { Controller, Ctx, Get, Param, type RequestContext } from '../src/index.js';

// Issue 13: what `ctx.path` is, as docs/controllers.md#the-request-context says: the path of the
// request-target as sent, still percent-encoded, without the query (and without scheme and
// authority for an absolute-form target); `ctx.params` hold the decoded values.

@Controller('::/files')
class Files {
  @Get('/{name:str}', { type: 'application/json' }) file(
    @Ctx() ctx: RequestContext,
    @Param('name') name: string,
  ) {
    return { path: ctx.path, name, target: ctx.request.target };
  }
}

describe('ctx.path', () => {
  it('is the percent-encoded path without the query; params are decoded', async () => {
    const client = await TestClient.create({ controllers: [Files] });
    const res = await client.get('/files/a%20b.txt?x=1');
    expect(res.json()).toEqual({ path: '/files/a%20b.txt', name: 'a b.txt', target: '/files/a%20b.txt?x=1' });
    client.close();
  });

  it('is only the path for an absolute-form target', async () => {
    const client = await TestClient.create({ controllers: [Files] });
    const [res] = await client.raw(
      'GET http://localhost/files/x.txt?y=2 HTTP/1.1\r\nHost: localhost\r\n\r\n',
    );
    expect(res?.status).toBe(200);
    expect(res?.json()).toMatchObject({ path: '/files/x.txt', name: 'x.txt' });
    client.close();
  });
});
