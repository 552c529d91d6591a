import { TestClient, TestingError } from '@bbws/testing';
import { HttpServer } from '@bbws/transport';
import { describe, expect, it } from 'vitest';
import { type Echo, echoServer, field } from './support/echo-server.js';

const client = TestClient.fromServer(echoServer());

/** Parses a multipart body with the WHATWG parser built into Node (independent of ours). */
async function formDataOf(echo: Echo): Promise<FormData> {
  const body = Buffer.from(echo.body ?? '', 'latin1');
  return new Response(body, { headers: { 'content-type': field(echo, 'content-type') ?? '' } }).formData();
}

describe('verbs', () => {
  it.each([
    ['get', 'GET'],
    ['post', 'POST'],
    ['put', 'PUT'],
    ['patch', 'PATCH'],
    ['delete', 'DELETE'],
    ['options', 'OPTIONS'],
  ] as const)('%s sends %s', async (verb, method) => {
    const echo = (await client[verb]('/things/1')).json<Echo>();
    expect(echo.method).toBe(method);
    expect(echo.target).toBe('/things/1');
  });

  it('head reads the GET headers and no body', async () => {
    const res = await client.head('/x');
    expect(res.status).toBe(200);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
    expect(res.bytes().length).toBe(0);
  });

  it('request() sends any method token', async () => {
    const echo = (await client.request({ method: 'PROPFIND', path: '/dav' })).json<Echo>();
    expect(echo.method).toBe('PROPFIND');
  });

  it('refuses a method that is not a token', async () => {
    await expect(client.request({ method: 'GET /x', path: '/' })).rejects.toMatchObject({
      code: 'BBWS_ERR_TESTING_REQUEST_METHOD',
    });
  });

  it('says Host: localhost and Connection: close by default', async () => {
    const echo = (await client.get('/')).json<Echo>();
    expect(echo.headers.slice(0, 1)).toEqual([['host', 'localhost']]);
    expect(field(echo, 'connection')).toBe('close');
  });

  it('sends Content-Length: 0 for a POST without a body, and none for GET', async () => {
    expect(field((await client.post('/')).json<Echo>(), 'content-length')).toBe('0');
    expect(field((await client.get('/')).json<Echo>(), 'content-length')).toBeUndefined();
  });
});

describe('query', () => {
  it('encodes a record, repeating array values', async () => {
    const echo = (
      await client.get('/search', { query: { q: 'a b&c', tag: ['x', 'y'], n: 2, on: true } })
    ).json<Echo>();
    expect(echo.path).toBe('/search');
    expect(new URLSearchParams(echo.query).getAll('tag')).toEqual(['x', 'y']);
    expect(new URLSearchParams(echo.query).get('q')).toBe('a b&c');
    expect(echo.query).toBe('q=a+b%26c&tag=x&tag=y&n=2&on=true');
  });

  it('appends to a query already in the path', async () => {
    const echo = (await client.get('/s?page=2', { query: 'sort=asc' })).json<Echo>();
    expect(echo.target).toBe('/s?page=2&sort=asc');
  });

  it('takes URLSearchParams', async () => {
    const echo = (await client.get('/s', { query: new URLSearchParams([['a', '1']]) })).json<Echo>();
    expect(echo.query).toBe('a=1');
  });

  it('refuses a target with whitespace', async () => {
    await expect(client.get('/a b')).rejects.toMatchObject({ code: 'BBWS_ERR_TESTING_REQUEST_TARGET' });
  });
});

describe('headers', () => {
  it('sends record headers, arrays as repeated fields, in order', async () => {
    const echo = (await client.get('/', { headers: { 'X-One': '1', 'X-Many': ['a', 'b'] } })).json<Echo>();
    expect(echo.headers.filter(([n]) => n.startsWith('x-'))).toEqual([
      ['x-one', '1'],
      ['x-many', 'a'],
      ['x-many', 'b'],
    ]);
  });

  it('lets a request replace Host and Connection', async () => {
    const echo = (
      await client.get('/', {
        headers: [
          ['Host', 'api.test'],
          ['Connection', 'keep-alive'],
        ],
      })
    ).json<Echo>();
    expect(echo.headers.filter(([n]) => n === 'host' || n === 'connection')).toEqual([
      ['host', 'api.test'],
      ['connection', 'keep-alive'],
    ]);
  });

  it('sends client-wide default headers, which a request overrides', async () => {
    const withDefaults = TestClient.fromServer(echoServer(), {
      headers: { Authorization: 'Bearer a', 'X-Env': 'test' },
    });
    const echo = (await withDefaults.get('/', { headers: { authorization: 'Bearer b' } })).json<Echo>();
    expect(field(echo, 'authorization')).toBe('Bearer b');
    expect(echo.headers.filter(([n]) => n === 'authorization')).toHaveLength(1);
    expect(field(echo, 'x-env')).toBe('test');
  });

  it.each([
    ['a value with CR LF', { 'X-Evil': 'a\r\nInjected: 1' }],
    ['a name with a space', { 'X Evil': 'a' }],
  ])('refuses %s', async (_, headers) => {
    const error = await client.get('/', { headers }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestingError);
    expect((error as TestingError).code).toBe('BBWS_ERR_TESTING_REQUEST_HEADER');
  });
});

describe('bodies', () => {
  it('json sets the body and Content-Type', async () => {
    const echo = (await client.post('/', { json: { name: 'Ada', tags: ['x'] } })).json<Echo>();
    expect(field(echo, 'content-type')).toBe('application/json');
    expect(JSON.parse(echo.body ?? '')).toEqual({ name: 'Ada', tags: ['x'] });
    expect(field(echo, 'content-length')).toBe(String(Buffer.byteLength(echo.body ?? '')));
  });

  it('json keeps an explicit Content-Type', async () => {
    const echo = (
      await client.post('/', { json: [1], headers: { 'content-type': 'application/vnd.x+json' } })
    ).json<Echo>();
    expect(echo.headers.filter(([n]) => n === 'content-type')).toEqual([
      ['content-type', 'application/vnd.x+json'],
    ]);
  });

  it('form sends a urlencoded body', async () => {
    const echo = (await client.post('/', { form: { user: 'a b', roles: ['x', 'y'] } })).json<Echo>();
    expect(field(echo, 'content-type')).toBe('application/x-www-form-urlencoded');
    expect(echo.body).toBe('user=a+b&roles=x&roles=y');
  });

  it('body sends text as UTF-8 and bytes as they are', async () => {
    const text = (await client.put('/', { body: 'héllo' })).json<Echo>();
    expect(Buffer.from(text.body ?? '', 'latin1').toString('utf8')).toBe('héllo');
    const bytes = (await client.put('/', { body: new Uint8Array([0, 255, 13, 10]) })).json<Echo>();
    expect([...Buffer.from(bytes.body ?? '', 'latin1')]).toEqual([0, 255, 13, 10]);
    expect(field(bytes, 'content-type')).toBeUndefined();
  });

  it('multipart sends fields and files that a WHATWG parser reads back', async () => {
    const echo = (
      await client.post('/upload', {
        multipart: {
          title: 'Holiday "2024"',
          tags: ['a', 'b'],
          photo: { content: new Uint8Array([1, 2, 3, 255]), filename: 'p.png', contentType: 'image/png' },
          note: new File(['plain text'], 'note.txt', { type: 'text/plain' }),
        },
      })
    ).json<Echo>();
    expect(field(echo, 'content-type')).toMatch(/^multipart\/form-data; boundary=bbws-test-[0-9a-f]+$/);
    const form = await formDataOf(echo);
    expect(form.get('title')).toBe('Holiday "2024"');
    expect(form.getAll('tags')).toEqual(['a', 'b']);
    const photo = form.get('photo') as File;
    expect(photo.name).toBe('p.png');
    expect(photo.type).toBe('image/png');
    expect([...new Uint8Array(await photo.arrayBuffer())]).toEqual([1, 2, 3, 255]);
    const note = form.get('note') as File;
    expect(note.name).toBe('note.txt');
    expect(await note.text()).toBe('plain text');
  });

  it('multipart takes a FormData', async () => {
    const data = new FormData();
    data.append('a', '1');
    data.append('f', new Blob(['xyz']), 'f.bin');
    const form = await formDataOf((await client.post('/', { multipart: data })).json<Echo>());
    expect(form.get('a')).toBe('1');
    expect(await (form.get('f') as File).text()).toBe('xyz');
  });

  it('refuses two body options at once', async () => {
    await expect(client.post('/', { json: {}, form: {} })).rejects.toMatchObject({
      code: 'BBWS_ERR_TESTING_REQUEST_BODY',
      message: expect.stringContaining('json, form'),
    });
  });
});

describe('responses', () => {
  it('json() on a body that is not JSON throws a coded error naming the status and the body', async () => {
    const server = new HttpServer({
      handler: (_req, sink) => sink.send(502, 'Content-Type: text/html\r\n', '<h1>Bad gateway</h1>'),
      listeners: [],
    });
    const res = await TestClient.fromServer(server).get('/');
    expect(() => res.json()).toThrow(TestingError);
    expect(() => res.json()).toThrow(/502 response is not JSON: "<h1>Bad gateway<\/h1>"/);
    expect(res.ok).toBe(false);
  });
});
