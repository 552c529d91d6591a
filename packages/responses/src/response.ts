/** Headers as a record or as name/value pairs (pairs allow repeats such as Set-Cookie). */
export type HeaderInit = Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;

/** Options of {@link Response}. */
export interface ResponseInit {
  readonly status?: number;
  readonly headers?: HeaderInit;
  /** Content-Type; when absent the route's declared type applies. */
  readonly mimeType?: string;
}

/**
 * A body with a status and headers, in one object.
 * @example `return new Response('created', { status: 201, headers: { 'X-Id': '7' } })`
 */
export class Response {
  readonly body: string | Uint8Array | null;
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly mimeType: string | null;

  constructor(body: string | Uint8Array | null = null, init: ResponseInit = {}) {
    this.body = body;
    this.status = init.status ?? 200;
    this.headers = toPairs(init.headers);
    this.mimeType = init.mimeType ?? null;
  }
}

/** Normalises {@link HeaderInit} to pairs. */
export function toPairs(init: HeaderInit | undefined): ReadonlyArray<readonly [string, string]> {
  if (init === undefined) return [];
  if (Array.isArray(init)) return init as ReadonlyArray<readonly [string, string]>;
  return Object.entries(init as Record<string, string>);
}
