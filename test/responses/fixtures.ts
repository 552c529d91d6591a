import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'bbwebservice';
import { TestClient } from 'bbwebservice/testing';
import { request } from 'undici';

/** A content root in a temp dir with files of known bytes, plus things that must never be served. */
export interface Tree {
  readonly dir: string;
  readonly root: string;
  readonly outside: string;
  /** 1000 bytes, byte i = i % 251. */
  readonly small: Buffer;
  /** 300 KiB, byte i = (i * 7) % 256: larger than one 64 KiB read. */
  readonly large: Buffer;
  cleanup(): void;
}

export function makeTree(): Tree {
  const dir = mkdtempSync(join(tmpdir(), 'bbws-responses-'));
  const root = join(dir, 'root');
  const outside = join(dir, 'outside');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(outside);
  const small = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
  const large = Buffer.from(Array.from({ length: 300 * 1024 }, (_, i) => (i * 7) % 256));
  writeFileSync(join(root, 'small.bin'), small);
  writeFileSync(join(root, 'large.bin'), large);
  writeFileSync(join(root, 'empty.bin'), '');
  writeFileSync(join(root, 'page.html'), '<h1>hi</h1>');
  writeFileSync(join(root, 'sub', 'inner.txt'), 'inner');
  writeFileSync(join(root, '100%.txt'), 'percent');
  writeFileSync(join(outside, 'secret.txt'), 'SECRET');
  writeFileSync(join(dir, 'sibling-secret.txt'), 'SECRET');
  mkdirSync(join(dir, 'root-evil'));
  writeFileSync(join(dir, 'root-evil', 'secret.txt'), 'SECRET');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'link-out.txt'));
  symlinkSync(outside, join(root, 'dir-link-out'));
  symlinkSync(join(root, 'sub', 'inner.txt'), join(root, 'link-in.txt'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
  return { dir, root, outside, small, large, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What both transports give back, in one shape. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export type Fetch = (path: string, headers?: Record<string, string>, method?: string) => Promise<Answer>;

/** Requests through the in-memory transport. */
export function memoryFetch(app: App): Fetch {
  const client = TestClient.fromApp(app);
  return async (path, headers = {}, method = 'GET') => {
    const res = await client.request({ method, path, headers });
    return { status: res.status, headers: res.headers, body: Buffer.from(res.bytes()) };
  };
}

/** Requests over a real socket with undici. */
export function tcpFetch(app: App): Fetch {
  return async (path, headers = {}, method = 'GET') => {
    const port = app.addresses[0]?.port ?? 0;
    const res = await request(`http://127.0.0.1:${port}${path}`, { method: method as 'GET', headers });
    const body = Buffer.from(await res.body.arrayBuffer());
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: res.statusCode, headers: flat, body };
  };
}
