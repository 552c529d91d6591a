import { isIP } from 'node:net';
import { parseSetCookie } from 'cookie';

/** A cookie held by a {@link CookieJar}. */
export interface StoredCookie {
  readonly name: string;
  /** The value as the server sent it (not URI-decoded), and as it is sent back. */
  readonly value: string;
  /** Lower-case domain: the request host for host-only cookies, else the Domain attribute. */
  readonly domain: string;
  /** Whether the cookie goes only to the exact host that set it (no Domain attribute). */
  readonly isHostOnly: boolean;
  readonly path: string;
  /** Expiry in ms since the epoch; `null` for a session cookie. */
  readonly expiresAt: number | null;
  readonly isSecure: boolean;
  readonly isHttpOnly: boolean;
}

/** Where a request goes, as far as cookies care. */
export interface CookieScope {
  /** Request host without port. */
  readonly host: string;
  /** Request path without query. */
  readonly path: string;
  readonly isSecure: boolean;
}

/**
 * The cookies a {@link TestClient} keeps across requests, like a browser's: `Set-Cookie`
 * fields are stored (parsed by the `cookie` package) with the basics of RFC 6265 §5.3 (Domain,
 * Path, Expires, Max-Age, Secure), and sent back on requests they match. Expiry reads
 * `Date.now()`, so fake timers age cookies too.
 * @see docs/testing.md
 */
export class CookieJar {
  #cookies: StoredCookie[] = [];

  /** Every cookie that has not expired. */
  list(now = Date.now()): readonly StoredCookie[] {
    this.#evict(now);
    return this.#cookies;
  }

  /** The value of the first live cookie called `name` (any domain and path), URI-decoded. */
  get(name: string, now = Date.now()): string | undefined {
    const cookie = this.list(now).find((c) => c.name === name);
    return cookie === undefined ? undefined : safeDecode(cookie.value);
  }

  /** Stores a cookie as if the server set it (host-only, for `domain` or any host when omitted). */
  set(name: string, value: string, options: { domain?: string; path?: string } = {}): void {
    this.#put({
      name,
      value: encodeURIComponent(value),
      domain: options.domain?.toLowerCase() ?? '',
      isHostOnly: options.domain !== undefined,
      path: options.path ?? '/',
      expiresAt: null,
      isSecure: false,
      isHttpOnly: false,
    });
  }

  /** Removes every cookie called `name`. */
  delete(name: string): void {
    this.#cookies = this.#cookies.filter((c) => c.name !== name);
  }

  /** Removes every cookie. */
  clear(): void {
    this.#cookies = [];
  }

  /**
   * Stores one `Set-Cookie` field received for a request to `scope` (RFC 6265 §5.3). A cookie
   * whose Domain does not cover the host is ignored; one that is already expired deletes its
   * namesake.
   */
  store(setCookie: string, scope: CookieScope, now = Date.now()): void {
    const parsed = parseSetCookie(setCookie, { decode: (s) => s });
    if (parsed.name === '' || parsed.value === undefined) return;
    const host = scope.host.toLowerCase();
    let domain = host;
    let isHostOnly = true;
    if (parsed.domain !== undefined && parsed.domain !== '') {
      const attr = parsed.domain.replace(/^\./, '').toLowerCase();
      if (!domainMatches(host, attr)) return;
      domain = attr;
      isHostOnly = false;
    }
    const path = parsed.path?.startsWith('/') === true ? parsed.path : defaultPath(scope.path);
    let expiresAt: number | null = null;
    if (parsed.maxAge !== undefined) expiresAt = now + parsed.maxAge * 1000;
    else if (parsed.expires !== undefined && !Number.isNaN(parsed.expires.getTime()))
      expiresAt = parsed.expires.getTime();
    const cookie: StoredCookie = {
      name: parsed.name,
      value: parsed.value,
      domain,
      isHostOnly,
      path,
      expiresAt,
      isSecure: parsed.secure === true,
      isHttpOnly: parsed.httpOnly === true,
    };
    if (expiresAt !== null && expiresAt <= now) this.#remove(cookie);
    else this.#put(cookie);
  }

  /**
   * The `Cookie` field value for a request to `scope`: matching live cookies, longer paths
   * first (RFC 6265 §5.4); `''` when none match.
   */
  headerFor(scope: CookieScope, now = Date.now()): string {
    if (this.#cookies.length === 0) return '';
    const host = scope.host.toLowerCase();
    const matching = this.list(now).filter(
      (c) =>
        (c.domain === '' || (c.isHostOnly ? c.domain === host : domainMatches(host, c.domain))) &&
        pathMatches(scope.path, c.path) &&
        (!c.isSecure || scope.isSecure),
    );
    // Array.prototype.sort is stable, so equal paths keep creation order.
    matching.sort((a, b) => b.path.length - a.path.length);
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  #put(cookie: StoredCookie): void {
    this.#remove(cookie);
    this.#cookies.push(cookie);
  }

  #remove(cookie: StoredCookie): void {
    this.#cookies = this.#cookies.filter(
      (c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path),
    );
  }

  #evict(now: number): void {
    if (this.#cookies.some((c) => c.expiresAt !== null && c.expiresAt <= now))
      this.#cookies = this.#cookies.filter((c) => c.expiresAt === null || c.expiresAt > now);
  }
}

/** RFC 6265 §5.1.3; an IP address matches only itself. */
function domainMatches(host: string, domain: string): boolean {
  if (host === domain) return true;
  return isIP(host) === 0 && host.endsWith(`.${domain}`);
}

/** RFC 6265 §5.1.4: the directory of the request path. */
function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith('/')) return '/';
  const slash = requestPath.lastIndexOf('/');
  return slash <= 0 ? '/' : requestPath.slice(0, slash);
}

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charCodeAt(cookiePath.length) === 47; /* / */
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // Not percent-encoded by the server: the raw value is the value.
    return value;
  }
}
