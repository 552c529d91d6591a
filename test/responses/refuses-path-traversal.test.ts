import net from 'node:net';
import { join } from 'node:path';
import {
  type App,
  ContentRoot,
  Controller,
  createApp,
  Get,
  loadFile,
  MIME_TYPE,
  Param,
  PartialContent,
  Query,
  ResponsesError,
} from 'bbwebservice';
import { TestClient } from 'bbwebservice/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTree, type Tree } from './fixtures.js';

let tree: Tree;

@Controller('::/')
class FileController {
  /** The raw (percent-encoded) path segment goes to the content root. */
  @Get('/files/{p:path}', { type: MIME_TYPE.DYNAMIC })
  byPath(@Param('p') p: string) {
    return new PartialContent(p, { root: tree.root });
  }

  /** The query value arrives decoded once by URLSearchParams. */
  @Get('/file', { type: MIME_TYPE.DYNAMIC })
  byQuery(@Query('p') p: string) {
    return new PartialContent(p, { root: tree.root });
  }
}

let app: App;
beforeAll(async () => {
  tree = makeTree();
  app = createApp({ controllers: [FileController], config: { server: [{ ip: '127.0.0.1', port: 0 }] } });
  await app.start();
});
afterAll(async () => {
  await app.stop();
  tree.cleanup();
});

/**
 * Attempts, as they appear in the request target after `/files/` (and, URL-encoded once more,
 * in `/file?p=`). None may answer the secret; each is refused (403), not found (404), or
 * rejected by the parser before routing (400).
 */
const attempts: ReadonlyArray<readonly [string, string]> = [
  ['plain dot-dot', '../outside/secret.txt'],
  ['dot-dot after a real directory', 'sub/../../outside/secret.txt'],
  ['dot-dot with a dot segment', 'sub/./../../outside/secret.txt'],
  ['encoded slash', '..%2foutside%2fsecret.txt'],
  ['encoded dots', '%2e%2e/outside/secret.txt'],
  ['upper-case encoded dots and slash', '%2E%2E%2Foutside%2Fsecret.txt'],
  ['all encoded, twice up', '%2e%2e%2f%2e%2e%2foutside%2fsecret.txt'],
  ['double-encoded dots', '%252e%252e/outside/secret.txt'],
  ['double-encoded slash', '..%252foutside%252fsecret.txt'],
  ['encoded backslash', '..%5coutside%5csecret.txt'],
  ['encoded dots and backslash', '%2e%2e%5coutside%5csecret.txt'],
  ['overlong UTF-8 slash', '..%c0%afoutside%c0%afsecret.txt'],
  ['overlong UTF-8 dots', '%c0%ae%c0%ae/outside/secret.txt'],
  ['%u escapes', '%u002e%u002e/outside/secret.txt'],
  ['encoded NUL before an extension', 'link-out.txt%00.html'],
  ['encoded NUL in a name', 'small.bin%00'],
  ['symlink to a file outside', 'link-out.txt'],
  ['symlink to a directory outside', 'dir-link-out/secret.txt'],
  ['sibling directory sharing the prefix', '../root-evil/secret.txt'],
  ['absolute path outside (leading slash means the root)', '/etc/passwd'],
  ['absolute path to the outside file', 'OUTSIDE_ABS'],
  ['absolute path to the sibling-prefix directory', 'EVIL_ABS'],
  ['drive letter', 'C:/Windows/win.ini'],
  ['encoded drive letter with backslash', 'c:%5cwindows%5cwin.ini'],
  ['dots with a semicolon (a file name, not a parent)', '..;/outside/secret.txt'],
  ['four dots (a file name, not a parent)', '..../outside/secret.txt'],
  ['a FIFO (never opened for a blocking read)', 'fifo'],
  ['a directory', 'sub'],
  ['the root itself', '.'],
];

function resolveAttempt(attempt: string): string {
  if (attempt === 'OUTSIDE_ABS') return encodeURI(join(tree.outside, 'secret.txt'));
  if (attempt === 'EVIL_ABS') return encodeURI(join(tree.dir, 'root-evil', 'secret.txt'));
  return attempt;
}

async function overTcp(target: string): Promise<{ status: number; text: string }> {
  const port = app.addresses[0]?.port ?? 0;
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`, 'latin1');
  await new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const text = Buffer.concat(chunks).toString('latin1');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text };
}

async function inMemory(target: string): Promise<{ status: number; text: string }> {
  const [res] = await TestClient.fromApp(app).raw(
    `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
  );
  return { status: res?.status ?? 0, text: res?.text() ?? '' };
}

describe('path traversal is refused', () => {
  it('has 20+ attempts in the table', () => {
    expect(attempts.length).toBeGreaterThanOrEqual(20);
  });

  describe.each([
    ['in memory', inMemory],
    ['over TCP', overTcp],
  ])('%s', (_name, send) => {
    it.each(attempts)('by path: %s', async (_label, attempt) => {
      const { status, text } = await send(`/files/${resolveAttempt(attempt)}`);
      expect([400, 403, 404]).toContain(status);
      expect(text).not.toContain('SECRET');
    });

    it.each(attempts)('by query: %s', async (_label, attempt) => {
      const { status, text } = await send(`/file?p=${encodeURIComponent(resolveAttempt(attempt))}`);
      expect([403, 404]).toContain(status);
      expect(text).not.toContain('SECRET');
    });
  });

  it('still serves what is inside: nested files, symlinks within the root, names with %', async () => {
    expect((await inMemory('/files/sub/inner.txt')).text).toContain('inner');
    expect((await inMemory('/files/link-in.txt')).text).toContain('inner');
    expect((await inMemory('/files/100%25.txt')).text).toContain('percent');
    expect((await inMemory(`/file?p=${encodeURIComponent('//sub//./inner.txt')}`)).text).toContain('inner');
    expect(
      (await inMemory(`/file?p=${encodeURIComponent(join(tree.root, 'sub', 'inner.txt'))}`)).text,
    ).toContain('inner');
  });

  it('refuses with 403 (not 404) where the attempt is recognised before any file is touched', async () => {
    for (const attempt of [
      '../outside/secret.txt',
      '%2e%2e/outside/secret.txt',
      'link-out.txt',
      'small.bin%00',
    ]) {
      expect((await inMemory(`/file?p=${encodeURIComponent(attempt)}`)).status).toBe(403);
    }
    expect((await inMemory('/files/link-out.txt')).status).toBe(403);
  });
});

describe('ContentRoot and loadFile', () => {
  it('resolve() refuses lexically, with BBWS_ERR_PATH_REFUSED and status 403', () => {
    const root = new ContentRoot(tree.root);
    for (const attempt of [
      '../x',
      'a/../../x',
      '%2e%2e/x',
      'a%2f..%2f..%2fx',
      '%252e%252e',
      'a\\b',
      'a\0b',
      'C:/x',
      '%zz%2e',
    ]) {
      let error: unknown;
      try {
        root.resolve(attempt);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ResponsesError);
      expect(error).toMatchObject({ code: 'BBWS_ERR_PATH_REFUSED', status: 403 });
    }
    expect(root.resolve('/sub/inner.txt')).toBe(join(tree.root, 'sub', 'inner.txt'));
    expect(root.resolve('100%.txt')).toBe(join(tree.root, '100%.txt'));
    expect(root.resolve('100%25.txt')).toBe(join(tree.root, '100%.txt'));
  });

  it('loadFile reads inside the root and refuses symlinks that leave it', async () => {
    expect((await loadFile('/sub/inner.txt', { root: tree.root })).toString()).toBe('inner');
    await expect(loadFile('link-out.txt', { root: tree.root })).rejects.toMatchObject({
      code: 'BBWS_ERR_PATH_REFUSED',
    });
    await expect(loadFile('nope', { root: tree.root })).rejects.toMatchObject({
      code: 'BBWS_ERR_FILE_NOT_FOUND',
    });
    await expect(loadFile('large.bin', { root: tree.root, maxBytes: 10 })).rejects.toMatchObject({
      code: 'BBWS_ERR_FILE_TOO_LARGE',
    });
  });

  it('a missing root is BBWS_ERR_CONTENT_ROOT', async () => {
    await expect(loadFile('x', { root: join(tree.dir, 'missing') })).rejects.toMatchObject({
      code: 'BBWS_ERR_CONTENT_ROOT',
    });
  });
});
