import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// One import of the umbrella's sources, by path: pool workers load this module too, and from
// here Node resolves no workspace package by name (the root folder depends on none of them).
import {
  type App,
  Body,
  Controller,
  createApp,
  Dynamic,
  ErrorHandler,
  Get,
  HttpError,
  loadFile,
  MIME_TYPE,
  Offload,
  Param,
  PartialContent,
  Post,
  Put,
  Query,
  Redirect,
  Response,
  SseEvent,
  StreamResponse,
} from '../../packages/bbwebservice/src/index.js';

/** 300 bytes of known content, and a text long enough to be worth compressing. */
export const FILE_BYTES = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
const LONG_TEXT = 'All work and no play makes Jack a dull boy. '.repeat(100);

/** A folder holding `data.bin` with a fixed mtime, so ETag and Last-Modified do not vary. */
export function makeContentDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bbws-parity-'));
  const file = join(dir, 'data.bin');
  writeFileSync(file, FILE_BYTES);
  const fixed = new Date('2024-01-02T03:04:05Z');
  utimesSync(file, fixed, fixed);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One controller per feature family the parity cases exercise. */
function controllers(contentDir: string) {
  @Controller('::/parity')
  class BodiesController {
    @Get('/text')
    text(): string {
      return 'plain text';
    }

    @Get('/json', { type: MIME_TYPE.JSON })
    json(): object {
      return { name: 'Ada', tags: ['a', 'b'], nested: { n: 1 } };
    }

    @Get('/empty')
    empty(): undefined {
      return undefined;
    }

    @Get('/created')
    created(): Response {
      return new Response('made', {
        status: 201,
        headers: [
          ['X-Id', '7'],
          ['Cache-Control', 'no-store'],
        ],
        cookies: [
          { name: 'sid', value: 'abc', path: '/', httpOnly: true, expires: new Date('2030-01-01T00:00:00Z') },
        ],
      });
    }

    @Get('/redirect')
    redirect(): Redirect {
      return new Redirect('/parity/text');
    }

    @Get('/dynamic', { type: MIME_TYPE.DYNAMIC })
    dynamic(): Dynamic {
      return new Dynamic('<svg xmlns="http://www.w3.org/2000/svg"/>', MIME_TYPE.SVG);
    }

    @Get('/items/{id:int}', { type: MIME_TYPE.JSON })
    item(@Param('id') id: number, @Query() query: Record<string, unknown>): object {
      return { id, isInt: Number.isInteger(id), query };
    }

    @Post('/echo', { type: MIME_TYPE.JSON })
    echo(@Body() body: unknown): object {
      return { body: body instanceof Uint8Array ? Buffer.from(body).toString('base64') : body };
    }

    @Put('/echo', { type: MIME_TYPE.JSON })
    replace(@Body() body: unknown): object {
      return { replaced: body instanceof Uint8Array ? Buffer.from(body).toString('base64') : body };
    }

    @Get('/teapot')
    teapot(): never {
      throw new HttpError(418, 'short and stout');
    }

    @Get('/fail')
    fail(): never {
      throw new Error('handler bug');
    }

    @Get('/long')
    long(): string {
      return LONG_TEXT;
    }
  }

  @Controller('::/parity')
  class StreamsController {
    @Get('/stream', { type: MIME_TYPE.DYNAMIC })
    stream(): StreamResponse {
      return new StreamResponse(['one ', Buffer.from('two '), 'three'], { mimeType: MIME_TYPE.TEXT });
    }

    @Get('/events', { type: MIME_TYPE.DYNAMIC })
    events(): StreamResponse {
      return new StreamResponse(
        [new SseEvent('first', { id: '1' }).toBytes(), new SseEvent({ n: 2 }, { event: 'tick' }).toBytes()],
        { mimeType: MIME_TYPE.EVENT_STREAM },
      );
    }

    @Get('/file', { type: MIME_TYPE.BINARY })
    file(): PartialContent {
      return new PartialContent('data.bin', { root: contentDir });
    }

    @Get('/loaded', { type: MIME_TYPE.DYNAMIC })
    async loaded(): Promise<Dynamic> {
      return new Dynamic(await loadFile('data.bin', { root: contentDir }), MIME_TYPE.BINARY);
    }

    @Get('/no-such-file', { type: MIME_TYPE.BINARY })
    noSuchFile(): PartialContent {
      return new PartialContent('nope.bin', { root: contentDir });
    }

    @Get('/outside', { type: MIME_TYPE.BINARY })
    outside(): PartialContent {
      return new PartialContent('../etc/passwd', { root: contentDir });
    }
  }

  /** Error pages: they answer for requests under their controller's prefix. */
  @Controller('::/parity/paged')
  class PagedController {
    @Get('/fail')
    fail(): never {
      throw new Error('handler bug behind an error page');
    }

    @ErrorHandler(404, { type: MIME_TYPE.HTML })
    notFound(): string {
      return '<h1>Not here</h1>';
    }

    @ErrorHandler(500, { type: MIME_TYPE.JSON })
    failed(): object {
      return { error: 'sorry' };
    }
  }

  @Controller()
  class SelectorsController {
    @Get('::/parity/where')
    anywhere(): string {
      return 'global';
    }

    @Get(':::example.com:/parity/where')
    domain(): string {
      return 'domain example.com';
    }

    @Get('127.0.0.1::/parity/local')
    local(): string {
      return 'bound to 127.0.0.1';
    }
  }

  /**
   * Routes that run in the worker pool: the worker builds this app again from
   * `parityApp` (the `worker` option below) and posts the answer back.
   */
  @Controller('::/parity/offload')
  class OffloadedController {
    @Offload()
    @Get('/text')
    text(): string {
      return 'computed in a worker';
    }

    @Offload()
    @Get('/square/{n:int}', { type: MIME_TYPE.JSON })
    square(@Param('n') n: number): object {
      return { n, square: n * n };
    }

    @Offload()
    @Get('/teapot')
    teapot(): never {
      throw new HttpError(418, 'short and stout', { spout: true });
    }

    @Offload()
    @Get('/stream', { type: MIME_TYPE.TEXT })
    stream(): StreamResponse {
      return new StreamResponse(['one ', 'two ', 'three']);
    }

    @Offload()
    @Get('/created')
    created(): Response {
      return new Response('made', { status: 201, headers: { 'X-Id': '7' } });
    }
  }

  return [BodiesController, StreamsController, SelectorsController, PagedController, OffloadedController];
}

/** The origin CORS allows; a request from another origin gets no CORS fields. */
export const ALLOWED_ORIGIN = 'https://app.example';

/**
 * The app every parity transport serves, with small limits. Three listeners on 127.0.0.1: the
 * first with the global limits, the second with its own `max_body_size`, the third answering
 * with https-redirect. CORS allows one origin.
 */
export function parityApp(contentDir = ''): App {
  const app = createApp({
    controllers: controllers(contentDir),
    // Pool workers call this factory (without a content folder: no offloaded route reads one).
    worker: { module: import.meta.url, export: 'parityApp' },
    config: {
      server: [
        { ip: '127.0.0.1', port: 0 },
        { ip: '127.0.0.1', port: 0, max_body_size: 10 },
        { ip: '127.0.0.1', port: 0, 'https-redirect': true, 'https-redirect-escape-paths': ['/parity/json'] },
      ],
      max_header_size: 2048,
      max_body_size: 4096,
    },
    env: {},
  });
  return app.enableCors({
    allowOrigin: [ALLOWED_ORIGIN],
    allowHeaders: ['Content-Type'],
    exposeHeaders: ['X-Id'],
    maxAge: 600,
  });
}
