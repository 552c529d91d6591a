import type { HttpRequest, ResponseSink } from '@bbws/transport';
import type { ParamSource } from '../decorators/metadata.js';
import { writeResult } from '../results/write-result.js';
import type { RequestContext } from './request-context.js';

/** Produces one handler argument. Built once per parameter at start. */
type ArgResolver = (request: HttpRequest, params: Readonly<Record<string, unknown>>) => unknown;

/** A route compiled at start: the bound handler, its argument resolvers and prebuilt header bytes. */
export class RoutePlan {
  readonly #instance: object;
  readonly #method: (...args: unknown[]) => unknown;
  readonly #resolvers: readonly ArgResolver[] | null;
  readonly #typeLine: string;
  readonly #onError: (sink: ResponseSink, error: unknown) => void;

  constructor(
    instance: object,
    method: (...args: unknown[]) => unknown,
    sources: readonly (ParamSource | undefined)[],
    typeLine: string,
    onError: (sink: ResponseSink, error: unknown) => void,
  ) {
    this.#instance = instance;
    this.#method = method;
    this.#resolvers = sources.length === 0 ? null : sources.map(resolverFor);
    this.#typeLine = typeLine;
    this.#onError = onError;
  }

  /** Runs the handler for a request and writes its result. */
  invoke(request: HttpRequest, params: Readonly<Record<string, unknown>>, sink: ResponseSink): void {
    let result: unknown;
    try {
      const resolvers = this.#resolvers;
      if (resolvers === null) {
        result = this.#method.call(this.#instance);
      } else {
        const args = new Array<unknown>(resolvers.length);
        for (let i = 0; i < resolvers.length; i++) args[i] = (resolvers[i] as ArgResolver)(request, params);
        result = this.#method.apply(this.#instance, args);
      }
    } catch (error) {
      this.#onError(sink, error);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (value) => this.#write(sink, value),
        (error) => this.#onError(sink, error),
      );
    } else {
      this.#write(sink, result);
    }
  }

  #write(sink: ResponseSink, value: unknown): void {
    try {
      writeResult(sink, this.#typeLine, value);
    } catch (error) {
      this.#onError(sink, error);
    }
  }
}

function resolverFor(source: ParamSource | undefined): ArgResolver {
  if (source === undefined) return () => undefined;
  switch (source.kind) {
    case 'param': {
      const name = source.name;
      return (_req, params) => params[name];
    }
    case 'query': {
      const name = source.name;
      return name === null
        ? (req) => Object.fromEntries(new URLSearchParams(req.query))
        : (req) => new URLSearchParams(req.query).get(name) ?? undefined;
    }
    case 'body':
      return (req) => req.body;
    case 'header': {
      const name = source.name;
      return (req) => {
        const headers = req.headers;
        for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return headers[i + 1];
        return undefined;
      };
    }
    case 'ctx':
      return (req, params): RequestContext => ({
        method: req.method,
        path: req.path,
        query: req.query,
        headers: req.headers,
        params,
        body: req.body,
        endpoint: req.endpoint,
        remoteAddress: req.remoteAddress,
      });
  }
}
