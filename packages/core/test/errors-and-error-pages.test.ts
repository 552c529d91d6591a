import { TestClient } from '@bbws/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Controller, Ctx, ErrorHandler, Get, HttpError, LogHub, type RequestContext } from '../src/index.js';

/** A log hub that keeps what it is given, instead of printing it. */
function captureLogs() {
  const lines: Array<{ message: string; level: string }> = [];
  const logger = new LogHub({
    console: false,
    callback: (message, _at, level) => lines.push({ message, level }),
  });
  return { logger, lines };
}

@Controller('::/api')
class ApiController {
  @Get('/missing') missing() {
    throw new HttpError(404, 'no such thing', { id: 7 });
  }
  @Get('/boom') boom() {
    throw new Error('secret database password in message');
  }
  @Get('/async-boom') async asyncBoom() {
    await Promise.resolve();
    throw new TypeError('async secret');
  }
  @Get('/teapot') teapot() {
    throw new HttpError(418, 'short and stout');
  }

  @ErrorHandler(404, { type: 'text/html; charset=utf-8' })
  apiNotFound(@Ctx() ctx: RequestContext) {
    return `<h1>api 404 for ${ctx.path}</h1>`;
  }
}

@Controller()
class SiteController {
  @ErrorHandler(404, { type: 'text/html; charset=utf-8' })
  notFound() {
    return '<h1>site 404</h1>';
  }

  @ErrorHandler(500)
  serverError(@Ctx() ctx: RequestContext) {
    return `sorry (${(ctx.error as Error).constructor.name})`;
  }
}

@Controller(':::admin.example:/')
class AdminSite {
  @ErrorHandler(404)
  adminNotFound() {
    return 'admin 404';
  }
  @ErrorHandler(418)
  broken() {
    throw new Error('the error page itself fails');
  }
}

afterEach(() => vi.restoreAllMocks());

describe('errors', () => {
  it('a thrown HttpError answers its status with JSON { error, details }', async () => {
    const client = await TestClient.create({ controllers: [ApiController], logger: captureLogs().logger });
    const res = await client.get('/api/missing');
    // The api controller has a 404 page, which wins over the JSON body.
    expect(res.status).toBe(404);
    expect(res.text()).toBe('<h1>api 404 for /api/missing</h1>');
    const other = await TestClient.create({ controllers: [] });
    expect((await other.get('/nothing')).status).toBe(404);
  });

  it('without an error page, HttpError gives JSON', async () => {
    @Controller('::/j')
    class J {
      @Get('/x') x() {
        throw new HttpError(409, 'conflict here', { field: 'name' });
      }
    }
    const res = await (await TestClient.create({ controllers: [J] })).get('/j/x');
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({ error: 'conflict here', details: { field: 'name' } });
  });

  it('an unknown exception is a 500 that does not leak the message, and is logged with the stack', async () => {
    const { logger, lines } = captureLogs();
    const client = await TestClient.create({ controllers: [ApiController], logger });
    for (const path of ['/api/boom', '/api/async-boom']) {
      const res = await client.get(path);
      expect(res.status).toBe(500);
      expect(res.text()).toBe('Internal Server Error');
      expect(res.text()).not.toMatch(/secret/);
    }
    expect(lines.map((l) => l.level)).toEqual(['error', 'error']);
    expect(lines[0]?.message).toMatch(/GET \/api\/boom failed: Error: secret database password[\s\S]*at /);
  });

  it('dev mode puts the stack in the 500 body', async () => {
    const client = await TestClient.create({
      controllers: [ApiController],
      config: { dev_mode: true },
      logger: captureLogs().logger,
    });
    const res = await client.get('/api/boom');
    expect(res.status).toBe(500);
    expect(res.text()).toMatch(/Error: secret database password[\s\S]*at /);
  });

  it('error pages are scoped by controller prefix: the most specific wins', async () => {
    const client = await TestClient.create({ controllers: [ApiController, SiteController, AdminSite] });
    expect((await client.get('/api/nope')).text()).toBe('<h1>api 404 for /api/nope</h1>');
    const site = await client.get('/elsewhere');
    expect(site.status).toBe(404);
    expect(site.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(site.text()).toBe('<h1>site 404</h1>');
    expect((await client.get('/elsewhere', { host: 'admin.example' })).text()).toBe('admin 404');
  });

  it('a 500 page receives the error in ctx.error', async () => {
    const client = await TestClient.create({
      controllers: [ApiController, SiteController],
      logger: captureLogs().logger,
    });
    const res = await client.get('/api/async-boom');
    expect(res.status).toBe(500);
    expect(res.text()).toBe('sorry (TypeError)');
  });

  it('an error page that fails falls back to the default answer and is logged', async () => {
    const { logger, lines } = captureLogs();
    const client = await TestClient.create({ controllers: [ApiController, AdminSite], logger });
    const res = await client.get('/api/teapot', { host: 'admin.example' });
    expect(res.status).toBe(418);
    expect(res.json()).toEqual({ error: 'short and stout' });
    expect(lines.at(-1)?.message).toMatch(
      /error page AdminSite.broken failed: Error: the error page itself fails/,
    );
  });

  it('HttpError refuses a status outside 400..599', () => {
    expect(() => new HttpError(200, 'no')).toThrow(RangeError);
  });
});

describe('file refusals from handlers', () => {
  it('a missing file from loadFile answers 404 and a traversal 403, not 500', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadFile } = await import('@bbws/responses');
    const root = mkdtempSync(join(tmpdir(), 'bbws-root-'));
    @Controller('::/f')
    class Files {
      @Get('/missing') missing() {
        return loadFile('/nope.html', { root });
      }
      @Get('/escape') escape() {
        return loadFile('../../etc/passwd', { root });
      }
    }
    const client = await TestClient.create({ controllers: [Files] });
    expect((await client.get('/f/missing')).status).toBe(404);
    const traversal = await client.get('/f/escape');
    expect(traversal.status).toBe(403);
    expect(traversal.text()).not.toMatch(/root/);
  });
});
