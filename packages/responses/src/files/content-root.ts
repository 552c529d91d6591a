import { close, constants, fstat, open, realpath, type Stats } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { ResponsesError } from '../errors.js';

/** A regular file opened inside a content root. The caller owns `fd` and must close it. */
export interface OpenedFile {
  readonly fd: number;
  /** The real path (symlinks resolved), inside the root. */
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Characters that never belong in a served path once decoded: NUL and backslash. */
const FORBIDDEN = /[\0\\]/;
/** An escape that decodes to `.`, `/`, `\` or NUL after one decode: double encoding. */
const ENCODED_SPECIAL = /%(2e|2f|5c|00)/i;
/** `C:` or `c:/`: a drive letter, never a path below the root. */
const DRIVE = /^[A-Za-z]:/;
/**
 * O_NOFOLLOW: the last component was resolved by realpath, so a link there now is a swap
 * after the check. O_NONBLOCK: opening a FIFO must not hang a thread-pool thread.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * A directory files are served from. Every path is resolved inside it, and refused before
 * anything is read when it would leave it:
 * - the path is percent-decoded once (it may come raw from a URL; a path that does not decode
 *   is taken literally); escapes that would decode to `.`, `/`, `\` or NUL a second time,
 *   NUL bytes and backslashes are refused;
 * - `..` segments are refused (not normalised away), `.` and empty segments are dropped;
 * - a leading `/` means the root (the seed's `/content/movie.mp4`); an absolute path that
 *   already lies inside the root is accepted as is; drive letters are refused;
 * - the file's real path (symlinks resolved) must still lie inside the root's real path.
 * Refusals are `BBWS_ERR_PATH_REFUSED` (status 403); missing files, directories and other
 * non-regular files are `BBWS_ERR_FILE_NOT_FOUND` (404).
 * @example `const assets = new ContentRoot('public'); return assets.file(path);`
 * @see docs/responses.md#files-and-the-content-root
 */
export class ContentRoot {
  /** The root directory, absolute (as given, not resolved through symlinks). */
  readonly dir: string;
  #realDir: Promise<string> | null = null;

  constructor(dir: string) {
    if (typeof dir !== 'string' || dir === '' || dir.includes('\0')) {
      throw new ResponsesError(
        'BBWS_ERR_CONTENT_ROOT',
        `content root ${JSON.stringify(dir)} is not a directory path`,
      );
    }
    this.dir = resolve(dir);
  }

  /**
   * The absolute path `requestPath` names inside the root, by the rules above (lexical only:
   * symlinks are checked by {@link ContentRoot.open}).
   * @throws ResponsesError `BBWS_ERR_PATH_REFUSED`
   */
  resolve(requestPath: string): string {
    if (typeof requestPath !== 'string' || requestPath.includes('\0'))
      throw refused(requestPath, 'a NUL byte');
    const decoded = decodeOnce(requestPath);
    if (FORBIDDEN.test(decoded)) throw refused(requestPath, 'a NUL byte or backslash');
    if (ENCODED_SPECIAL.test(decoded)) throw refused(requestPath, 'a doubly encoded separator or dot');
    if (DRIVE.test(decoded)) throw refused(requestPath, 'a drive letter');
    const relative =
      isAbsolute(decoded) && isInside(decoded, this.dir) ? decoded.slice(this.dir.length) : decoded;
    return this.#join(relative, requestPath);
  }

  /**
   * Opens a regular file inside the root for reading, checking its real path.
   * @throws ResponsesError `BBWS_ERR_PATH_REFUSED` (403), `BBWS_ERR_FILE_NOT_FOUND` (404),
   *   `BBWS_ERR_CONTENT_ROOT` (500, the root itself is missing)
   */
  async open(requestPath: string): Promise<OpenedFile> {
    const candidate = this.resolve(requestPath);
    const rootReal = await this.#rootReal();
    let real: string;
    try {
      real = await realpathNative(candidate);
    } catch (error) {
      throw fileError(requestPath, error);
    }
    if (!isInside(real, rootReal)) throw refused(requestPath, 'a link that leaves the root');
    let fd: number;
    try {
      fd = await openFd(real);
    } catch (error) {
      throw fileError(requestPath, error);
    }
    try {
      const stats = await fstatFd(fd);
      if (!stats.isFile()) {
        throw new ResponsesError(
          'BBWS_ERR_FILE_NOT_FOUND',
          `${JSON.stringify(requestPath)} is not a regular file`,
          404,
        );
      }
      return { fd, path: real, size: stats.size, mtimeMs: stats.mtimeMs };
    } catch (error) {
      close(fd, noCloseError);
      throw error instanceof ResponsesError ? error : fileError(requestPath, error);
    }
  }

  #join(decoded: string, original: string): string {
    const segments: string[] = [];
    for (const segment of decoded.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') throw refused(original, 'a `..` segment');
      segments.push(segment);
    }
    return join(this.dir, ...segments);
  }

  #rootReal(): Promise<string> {
    if (this.#realDir === null) {
      const pending = realpathNative(this.dir).catch((error: unknown) => {
        this.#realDir = null;
        throw new ResponsesError(
          'BBWS_ERR_CONTENT_ROOT',
          `content root ${this.dir} cannot be resolved: ${(error as Error).message}`,
          500,
          { cause: error },
        );
      });
      this.#realDir = pending;
    }
    return this.#realDir;
  }
}

const roots = new Map<string, ContentRoot>();

/**
 * The shared {@link ContentRoot} for a directory (default: the working directory), so its
 * real path is resolved once.
 */
export function contentRoot(dir: string = process.cwd()): ContentRoot {
  const key = resolve(dir);
  let root = roots.get(key);
  if (root === undefined) {
    root = new ContentRoot(key);
    if (roots.size < 64) roots.set(key, root);
  }
  return root;
}

/**
 * Percent-decodes once. A path that does not decode (`100%.txt`, an overlong UTF-8 escape) is
 * taken literally: it is then a plain name, checked by the same rules, and nothing decodes it
 * again (the router already decoded `{p:path}` values; a second decode only ever refuses).
 */
function decodeOnce(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function isInside(path: string, root: string): boolean {
  if (path === root) return true;
  const base = root.endsWith(sep) ? root : root + sep;
  return path.startsWith(base);
}

function refused(path: unknown, why: string): ResponsesError {
  return new ResponsesError(
    'BBWS_ERR_PATH_REFUSED',
    `path ${JSON.stringify(path)} is refused: it holds ${why}`,
    403,
  );
}

function fileError(path: string, error: unknown): ResponsesError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'ELOOP') {
    return new ResponsesError(
      'BBWS_ERR_PATH_REFUSED',
      `path ${JSON.stringify(path)} is refused (${code})`,
      403,
      {
        cause: error,
      },
    );
  }
  return new ResponsesError(
    'BBWS_ERR_FILE_NOT_FOUND',
    `no file at ${JSON.stringify(path)} (${code ?? 'error'})`,
    404,
    {
      cause: error,
    },
  );
}

/** Closing a read-only fd cannot lose data; the error has nowhere useful to go. */
function noCloseError(): void {}

function realpathNative(path: string): Promise<string> {
  return new Promise((resolvePath, reject) =>
    realpath.native(path, (error, real) => (error === null ? resolvePath(real) : reject(error))),
  );
}

function openFd(path: string): Promise<number> {
  return new Promise((resolveFd, reject) =>
    open(path, OPEN_FLAGS, (error, fd) => (error === null ? resolveFd(fd) : reject(error))),
  );
}

function fstatFd(fd: number): Promise<Stats> {
  return new Promise((resolveStats, reject) =>
    fstat(fd, (error, stats) => (error === null ? resolveStats(stats) : reject(error))),
  );
}
