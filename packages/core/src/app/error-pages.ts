import { type Endpoint, parseSelector, type Selector } from '@bbws/router';
import type { ResponseSink } from '@bbws/transport';
import type { ResultHooks } from '../results/result-hooks.js';
import { writeResult } from '../results/write-result.js';
import { HeadApplyingSink } from './head-applying-sink.js';
import type { RequestContext } from './request-context.js';

/** One `@ErrorHandler` method, scoped by its controller's selector prefix. */
export interface ErrorPage {
  readonly status: number;
  readonly scope: Selector;
  /** `Class.method`, for logs. */
  readonly name: string;
  readonly typeLine: string;
  readonly run: (ctx: RequestContext) => unknown;
}

/**
 * The error pages of an app by status. For a request, the page whose scope matches and is
 * most specific wins: ip, then port, then domain, then the longest path prefix.
 */
export class ErrorPages {
  readonly #byStatus = new Map<number, ErrorPage[]>();

  add(page: ErrorPage): void {
    const list = this.#byStatus.get(page.status) ?? [];
    list.push(page);
    list.sort((a, b) => specificity(b.scope) - specificity(a.scope));
    this.#byStatus.set(page.status, list);
  }

  /** The page for `status` at this endpoint and path, if any. */
  find(status: number, endpoint: Endpoint, path: string): ErrorPage | undefined {
    const list = this.#byStatus.get(status);
    if (list === undefined) return undefined;
    for (const page of list) if (applies(page.scope, endpoint, path)) return page;
    return undefined;
  }

  /**
   * Runs a page and writes its result with the error's status.
   * @returns a promise that rejects when the page itself fails
   */
  async render(page: ErrorPage, ctx: RequestContext, sink: ResponseSink, hooks: ResultHooks): Promise<void> {
    const out = new HeadApplyingSink(sink, '', ctx.status);
    const result = await page.run(ctx);
    out.addLines(ctx.response.headerLines);
    writeResult(out, page.typeLine, result, ctx.request, hooks);
  }
}

/** Parses the scope of a controller prefix (`''` means everywhere). */
export function scopeOf(prefix: string): Selector {
  return prefix === '' ? { ip: null, port: null, domain: null, path: '' } : parseSelector(prefix);
}

function specificity(s: Selector): number {
  return (
    (s.ip !== null ? 4_000_000 : 0) +
    (s.port !== null ? 2_000_000 : 0) +
    (s.domain !== null ? 1_000_000 : 0) +
    s.path.length
  );
}

/** Whether a selector's ip, port and domain (each `null` for any) admit the endpoint. */
export function bindsTo(s: Selector, ep: Endpoint): boolean {
  return (
    (s.ip === null || s.ip === ep.ip) &&
    (s.port === null || s.port === ep.port) &&
    (s.domain === null || s.domain === ep.domain)
  );
}

function applies(s: Selector, ep: Endpoint, path: string): boolean {
  if (!bindsTo(s, ep)) return false;
  if (s.path === '' || s.path === '/') return true;
  return path === s.path || (path.startsWith(s.path) && path.charCodeAt(s.path.length) === 47) /* / */;
}
