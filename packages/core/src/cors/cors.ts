import { CoreError } from '../errors.js';
import { isHttpToken } from '../internal/http-token.js';

/** Settings of {@link Cors}; the names follow the seed's `enable_cors`. */
export interface CorsOptions {
  /** `'*'`, one origin, or a list of allowed origins (the request's origin is echoed when listed). */
  readonly allowOrigin?: string | readonly string[];
  readonly allowMethods?: readonly string[];
  readonly allowHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly allowCredentials?: boolean;
  /** Seconds a preflight answer may be cached. */
  readonly maxAge?: number;
}

/** The active CORS settings, as `getCorsSettings()` returns them. */
export interface CorsSettings {
  readonly allowOrigin: string | readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAge: number | null;
}

const VARY_ORIGIN = 'Vary: Origin\r\n';
const ORIGIN = /^(\*|null|[a-z][a-z0-9+.-]*:\/\/[^\s/?#]+)$/i;

/**
 * CORS answers, precomputed when settings change: the header lines of a simple response and
 * of a preflight are built once, so a request pays one lookup.
 * @see docs/cors.md
 */
export class Cors {
  readonly settings: CorsSettings;
  readonly #origins: ReadonlySet<string> | null;
  readonly #commonLines: string;
  readonly #preflightLines: string;
  /**
   * `Vary: Origin` when the answer depends on the request's origin (a list or one origin is
   * echoed, others get nothing), `''` for `*`. Fetch standard, "CORS protocol and HTTP caches":
   * such a resource must say so on every answer, refusals and requests without Origin included.
   */
  readonly #varyLine: string;

  /** @throws CoreError `BBWS_ERR_CORS_INVALID` for credentials with `*`, bad origins or tokens */
  constructor(options: CorsOptions) {
    const settings: CorsSettings = {
      allowOrigin: options.allowOrigin ?? '*',
      allowMethods: options.allowMethods ?? ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'],
      allowHeaders: options.allowHeaders ?? [],
      exposeHeaders: options.exposeHeaders ?? [],
      allowCredentials: options.allowCredentials ?? false,
      maxAge: options.maxAge ?? null,
    };
    const origins = typeof settings.allowOrigin === 'string' ? [settings.allowOrigin] : settings.allowOrigin;
    if (origins.length === 0) invalid('allowOrigin is an empty list');
    for (const origin of origins)
      if (!ORIGIN.test(origin)) invalid(`allowOrigin ${JSON.stringify(origin)} is not an origin`);
    if (settings.allowCredentials && origins.includes('*')) {
      // Browsers refuse credentialed responses with a wildcard origin (Fetch standard, CORS protocol).
      invalid('allowCredentials cannot be combined with allowOrigin "*"');
    }
    for (const list of [settings.allowMethods, settings.allowHeaders, settings.exposeHeaders]) {
      for (const token of list) if (!isHttpToken(token)) invalid(`${JSON.stringify(token)} is not a token`);
    }
    if (settings.maxAge !== null && (!Number.isInteger(settings.maxAge) || settings.maxAge < 0)) {
      invalid(`maxAge must be a whole number of seconds, got ${settings.maxAge}`);
    }
    this.settings = settings;
    this.#origins = origins.includes('*') ? null : new Set(origins);
    this.#varyLine = this.#origins === null ? '' : VARY_ORIGIN;
    let common = settings.allowCredentials ? 'Access-Control-Allow-Credentials: true\r\n' : '';
    if (settings.exposeHeaders.length > 0)
      common += `Access-Control-Expose-Headers: ${settings.exposeHeaders.join(', ')}\r\n`;
    this.#commonLines = common;
    let preflight = `Access-Control-Allow-Methods: ${settings.allowMethods.join(', ')}\r\n`;
    if (settings.allowHeaders.length > 0)
      preflight += `Access-Control-Allow-Headers: ${settings.allowHeaders.join(', ')}\r\n`;
    if (settings.maxAge !== null) preflight += `Access-Control-Max-Age: ${settings.maxAge}\r\n`;
    if (settings.allowCredentials) preflight += 'Access-Control-Allow-Credentials: true\r\n';
    this.#preflightLines = preflight;
  }

  /**
   * Header lines for an actual (non-preflight) response; `origin` is the request's `Origin`
   * header, `undefined` when it has none. `''` when nothing is added: an unlisted origin (or
   * none) gets no CORS headers, but when the answer depends on the origin it still says
   * `Vary: Origin`, so a shared cache never hands one origin's answer to another.
   */
  linesFor(origin: string | undefined): string {
    const allow = origin === undefined ? '' : this.#allowOriginLine(origin);
    return allow === '' ? this.#varyLine : allow + this.#commonLines;
  }

  /** Header lines for a preflight answer; only `Vary: Origin` (or `''`) when the origin is not allowed. */
  preflightLinesFor(origin: string): string {
    const allow = this.#allowOriginLine(origin);
    return allow === '' ? this.#varyLine : allow + this.#preflightLines;
  }

  #allowOriginLine(origin: string): string {
    if (this.#origins === null) return 'Access-Control-Allow-Origin: *\r\n';
    if (!this.#origins.has(origin)) return '';
    return `Access-Control-Allow-Origin: ${origin}\r\n${VARY_ORIGIN}`;
  }
}

function invalid(message: string): never {
  throw new CoreError('BBWS_ERR_CORS_INVALID', `enableCors: ${message}`);
}
