import { TestClient } from '@bbws/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Body,
  Controller,
  Cookie,
  Ctx,
  Get,
  Header,
  type MultipartBody,
  Post,
  Query,
  Req,
  type RequestContext,
  Res,
  type ResponseHead,
} from '../src/index.js';

@Controller('::/p')
class BindingController {
  @Get('/query', { type: 'application/json' })
  query(@Query() all: unknown, @Query('one') one: string | undefined) {
    return { all, one: one ?? null };
  }

  @Get('/page', { type: 'application/json' })
  page(@Query('page', z.coerce.number().int().min(1)) page: number) {
    return { page, type: typeof page };
  }

  @Get('/search', { type: 'application/json' })
  search(@Query(z.object({ q: z.string().min(2), limit: z.coerce.number().default(10) })) query: unknown) {
    return query;
  }

  @Post('/echo', { type: 'application/json' })
  echo(@Body() body: unknown) {
    return {
      kind: Buffer.isBuffer(body) ? 'bytes' : typeof body,
      body: Buffer.isBuffer(body) ? body.toString('hex') : body,
    };
  }

  @Post('/user', { type: 'application/json' })
  user(
    @Body(z.object({ name: z.string(), age: z.number().int().nonnegative() })) user: {
      name: string;
      age: number;
    },
  ) {
    return { hello: user.name, nextAge: user.age + 1 };
  }

  @Post('/upload', { type: 'application/json' })
  upload(@Body() body: MultipartBody) {
    return {
      fields: body.fields,
      files: body.files.map((f) => ({
        field: f.field,
        filename: f.filename,
        type: f.mimeType,
        text: f.data.toString(),
      })),
    };
  }

  @Get('/headers', { type: 'application/json' })
  headers(
    @Header('X-Token') token: string | undefined,
    @Cookie('sid') sid: string | undefined,
    @Cookie() all: unknown,
  ) {
    return { token: token ?? null, sid: sid ?? null, all };
  }

  @Get('/ctx', { type: 'application/json' })
  ctx(@Ctx() ctx: RequestContext, @Req() req: { method: string }) {
    return {
      method: ctx.method,
      path: ctx.path,
      same: req === ctx.request,
      ua: ctx.header('User-Agent') ?? null,
    };
  }

  @Post('/created')
  created(@Res() res: ResponseHead) {
    res.status = 201;
    res.appendHeader('X-Id', '42').setCookie('sid', 'abc', { httpOnly: true, path: '/', sameSite: 'lax' });
    return 'made';
  }

  @Get('/bad-header')
  badHeader(@Res() res: ResponseHead) {
    res.appendHeader('X-Evil', 'a\r\nSet-Cookie: x=1');
    return 'unreachable';
  }

  @Get('/framing-header')
  framingHeader(@Res() res: ResponseHead) {
    res.appendHeader('Content-Length', '1');
    return 'a longer body than one byte';
  }
}

const client = () => TestClient.create({ controllers: [BindingController] });

describe('parameter binding', () => {
  it('@Query() gives the whole query with repeated keys as arrays; @Query(name) one value', async () => {
    const res = await (await client()).get('/p/query?a=1&a=2&one=x%20y');
    expect(res.json()).toEqual({ all: { a: ['1', '2'], one: 'x y' }, one: 'x y' });
  });

  it('@Query(name, schema) converts and validates one value', async () => {
    const c = await client();
    expect((await c.get('/p/page?page=3')).json()).toEqual({ page: 3, type: 'number' });
    const bad = await c.get('/p/page?page=0');
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid query parameter page', issues: [{ path: '' }] });
  });

  it('@Query(schema) validates the whole query and applies defaults', async () => {
    const c = await client();
    expect((await c.get('/p/search?q=abc')).json()).toEqual({ q: 'abc', limit: 10 });
    const bad = await c.get('/p/search?q=a');
    expect(bad.status).toBe(400);
    expect(bad.json<{ issues: Array<{ path: string }> }>().issues[0]?.path).toBe('q');
  });

  it('@Body() parses JSON, urlencoded forms, text and raw bytes by Content-Type', async () => {
    const c = await client();
    const post = (type: string, body: string | Buffer) =>
      c.post('/p/echo', { headers: { 'Content-Type': type }, body });
    expect((await post('application/json', '{"a":[1,2]}')).json()).toEqual({
      kind: 'object',
      body: { a: [1, 2] },
    });
    expect((await post('application/x-www-form-urlencoded', 'x=1&y=two+words')).json()).toEqual({
      kind: 'object',
      body: { x: '1', y: 'two words' },
    });
    expect((await post('text/plain; charset=utf-8', 'héllo')).json()).toEqual({
      kind: 'string',
      body: 'héllo',
    });
    expect((await post('application/octet-stream', Buffer.from([0, 255]))).json()).toEqual({
      kind: 'bytes',
      body: '00ff',
    });
  });

  it('malformed JSON is a 400 that names the problem', async () => {
    const res = await (await client()).post('/p/echo', {
      headers: { 'Content-Type': 'application/json' },
      body: '{nope',
    });
    expect(res.status).toBe(400);
    expect(res.json<{ error: string }>().error).toMatch(/not valid JSON/);
  });

  it('@Body(schema) validates: 400 with { error, issues: [{ path, message }] }', async () => {
    const c = await client();
    const ok = await c.post('/p/user', {
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":"ada","age":36}',
    });
    expect(ok.json()).toEqual({ hello: 'ada', nextAge: 37 });
    const bad = await c.post('/p/user', {
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":5,"age":-1}',
    });
    expect(bad.status).toBe(400);
    const body = bad.json<{ error: string; issues: Array<{ path: string; message: string }> }>();
    expect(body.error).toBe('invalid request body');
    expect(body.issues.map((i) => i.path).sort()).toEqual(['age', 'name']);
    expect(body.issues.every((i) => i.message.length > 0)).toBe(true);
  });

  it('@Body() parses multipart/form-data into fields and files', async () => {
    const boundary = '----bbwsBoundary7';
    const multipart = [
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nhello\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="doc"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile body\r\n`,
      `--${boundary}--\r\n`,
    ].join('');
    const res = await (await client()).post('/p/upload', {
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body: multipart,
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      fields: { title: 'hello' },
      files: [{ field: 'doc', filename: 'a.txt', type: 'text/plain', text: 'file body' }],
    });
  });

  it('@Header and @Cookie read the request', async () => {
    const res = await (await client()).get('/p/headers', {
      headers: { 'x-token': 't1', Cookie: 'sid=s%201; theme=dark' },
    });
    expect(res.json()).toEqual({ token: 't1', sid: 's 1', all: { sid: 's 1', theme: 'dark' } });
  });

  it('@Ctx and @Req expose the request', async () => {
    const res = await (await client()).get('/p/ctx?z=1', { headers: { 'User-Agent': 'vitest' } });
    expect(res.json()).toEqual({ method: 'GET', path: '/p/ctx', same: true, ua: 'vitest' });
  });

  it('@Res sets status, headers and cookies with attributes', async () => {
    const res = await (await client()).post('/p/created');
    expect(res.status).toBe(201);
    expect(res.headers['x-id']).toBe('42');
    expect(res.headers['set-cookie']).toBe('sid=abc; Path=/; HttpOnly; SameSite=Lax');
    expect(res.text()).toBe('made');
  });

  it('a framing header set by a handler is refused, so the response cannot carry two lengths', async () => {
    const res = await (await client()).get('/p/framing-header');
    expect(res.status).toBe(500);
    expect(res.headerList.filter(([name]) => name === 'content-length')).toHaveLength(1);
  });

  it('a header value with CR/LF set by a handler is refused, never sent', async () => {
    const res = await (await client()).get('/p/bad-header');
    expect(res.status).toBe(500);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
