import type { RawResponse } from './response-reader.js';

/** A response received by {@link TestClient}. */
export class TestResponse {
  readonly status: number;
  readonly statusText: string;
  /** Headers by lower-case name; repeated fields are joined with `, ` (Set-Cookie: see `headerList`). */
  readonly headers: Readonly<Record<string, string>>;
  /** Header fields in wire order, names lower-cased. */
  readonly headerList: ReadonlyArray<readonly [string, string]>;
  readonly #body: Buffer;

  constructor(raw: RawResponse) {
    this.status = raw.status;
    this.statusText = raw.statusText;
    this.headerList = raw.headerList;
    const headers: Record<string, string> = {};
    for (const [name, value] of raw.headerList)
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    this.headers = headers;
    this.#body = raw.body;
  }

  /** The body bytes. */
  bytes(): Buffer {
    return this.#body;
  }

  /** The body as UTF-8 text. */
  text(): string {
    return this.#body.toString('utf8');
  }

  /** The body parsed as JSON. */
  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }
}
