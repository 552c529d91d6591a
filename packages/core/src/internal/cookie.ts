import { createRequire } from 'node:module';
import type * as Cookie from 'cookie';

// `cookie` is CommonJS and only needed once a request reads or sets a cookie: loaded then,
// through require(), which spares start Node's export-name scan of it (docs/architecture.md,
// "What start loads").
let cookie: typeof Cookie | null = null;

function load(): typeof Cookie {
  cookie ??= createRequire(import.meta.url)('cookie') as typeof Cookie;
  return cookie;
}

/** `cookie.parse`: the pairs of a Cookie header. */
export function parseCookieHeader(header: string): Record<string, string | undefined> {
  return load().parse(header);
}

/** `cookie.serialize`: one Set-Cookie value. */
export function serializeCookie(name: string, value: string, options?: Cookie.SerializeOptions): string {
  return load().serialize(name, value, options);
}
