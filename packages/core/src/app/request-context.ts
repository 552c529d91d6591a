import type { Endpoint } from '@bbws/router';

/** What `@Ctx()` hands a handler. */
export interface RequestContext {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: readonly string[];
  readonly params: Readonly<Record<string, unknown>>;
  readonly body: Buffer | null;
  readonly endpoint: Endpoint;
  readonly remoteAddress: string;
}
