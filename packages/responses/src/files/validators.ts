/** The validators of a file: a strong ETag and Last-Modified, both from size and mtime. */
export interface FileValidators {
  /** `"<size hex>-<mtime ms hex>"`, strong: it changes whenever the bytes can have changed. */
  readonly etag: string;
  /** mtime truncated to seconds, as HTTP dates are. */
  readonly lastModifiedMs: number;
  /** The IMF-fixdate of `lastModifiedMs`. */
  readonly lastModified: string;
}

/** Conditional request headers (RFC 9110 §13.1), as sent; absent ones undefined. */
export interface ConditionalHeaders {
  readonly ifMatch?: string | undefined;
  readonly ifNoneMatch?: string | undefined;
  readonly ifModifiedSince?: string | undefined;
  readonly ifUnmodifiedSince?: string | undefined;
}

/** Validators for a file of `size` bytes last modified at `mtimeMs`. */
export function fileValidators(size: number, mtimeMs: number): FileValidators {
  const mtime = Math.floor(mtimeMs);
  const lastModifiedMs = Math.floor(mtime / 1000) * 1000;
  return {
    etag: `"${size.toString(16)}-${mtime.toString(16)}"`,
    lastModifiedMs,
    lastModified: new Date(lastModifiedMs).toUTCString(),
  };
}

const ENTITY_TAG = /(W\/)?"[^"]*"/g;

/**
 * Evaluates preconditions in RFC 9110 §13.2.2 order: If-Match, If-Unmodified-Since,
 * If-None-Match, If-Modified-Since. Returns the status they call for (412, or 304 for
 * GET/HEAD), or 0 to go on.
 */
export function evaluatePreconditions(
  method: string,
  headers: ConditionalHeaders,
  v: FileValidators,
): 0 | 304 | 412 {
  if (headers.ifMatch !== undefined) {
    if (!matchesAny(headers.ifMatch, v.etag, true)) return 412;
  } else if (headers.ifUnmodifiedSince !== undefined) {
    const date = Date.parse(headers.ifUnmodifiedSince);
    if (!Number.isNaN(date) && v.lastModifiedMs > date) return 412;
  }
  const isRead = method === 'GET' || method === 'HEAD';
  if (headers.ifNoneMatch !== undefined) {
    if (matchesAny(headers.ifNoneMatch, v.etag, false)) return isRead ? 304 : 412;
  } else if (headers.ifModifiedSince !== undefined && isRead) {
    const date = Date.parse(headers.ifModifiedSince);
    if (!Number.isNaN(date) && v.lastModifiedMs <= date) return 304;
  }
  return 0;
}

/**
 * Whether an `If-Range` value lets the Range apply (RFC 9110 §13.1.5): an entity tag must
 * match strongly (a weak tag never does); a date must equal Last-Modified exactly.
 */
export function ifRangeMatches(ifRange: string, v: FileValidators): boolean {
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === v.etag;
  const date = Date.parse(value);
  return !Number.isNaN(date) && date === v.lastModifiedMs;
}

/** `*` or a list of entity tags; strong comparison rejects weak tags, weak ignores `W/`. */
function matchesAny(list: string, etag: string, isStrong: boolean): boolean {
  if (list.trim() === '*') return true;
  for (const match of list.matchAll(ENTITY_TAG)) {
    const isWeak = match[1] !== undefined;
    if (isStrong && isWeak) continue;
    const tag = isWeak ? match[0].slice(2) : match[0];
    if (tag === etag) return true;
  }
  return false;
}
