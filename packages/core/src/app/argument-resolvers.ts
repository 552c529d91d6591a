import type { HttpRequest } from '@bbws/transport';
import type { ZodType } from 'zod';
import type { ParamSource } from '../decorators/metadata.js';
import { ValidationError } from '../http-error.js';
import { parseCookieHeader } from '../internal/cookie.js';
import { requestHeader } from '../results/request-headers.js';
import { uploadResolver } from '../uploads/upload-resolver.js';
import { parseBody } from './parse-body.js';
import { queryToObject, queryValue } from './query.js';
import type { RequestContext } from './request-context.js';

/**
 * Produces one handler argument. Built once per parameter at start; `ctx` is non-null only
 * for routes that need a context (see {@link needsContext}). May return a Promise (multipart).
 */
export type ArgResolver = (
  request: HttpRequest,
  params: Readonly<Record<string, unknown>>,
  ctx: RequestContext | null,
) => unknown;

/** Whether a parameter list needs a {@link RequestContext}. */
export function needsContext(sources: readonly (ParamSource | undefined)[]): boolean {
  return sources.some((s) => s !== undefined && (s.kind === 'ctx' || s.kind === 'res'));
}

/** Compiles one parameter source into a resolver. */
export function resolverFor(source: ParamSource | undefined): ArgResolver {
  if (source === undefined) return () => undefined;
  switch (source.kind) {
    case 'param': {
      const name = source.name;
      return (_req, params) => params[name];
    }
    case 'query':
      return queryResolver(source.name, source.schema);
    case 'body': {
      const schema = source.schema;
      if (schema === null) return (req) => parseBody(req);
      return (req) => {
        const body = parseBody(req);
        return body instanceof Promise
          ? body.then((value) => validate(schema, value, 'request body'))
          : validate(schema, body, 'request body');
      };
    }
    case 'upload':
      return uploadResolver(source.limits);
    case 'header': {
      const name = source.name;
      return (req) => requestHeader(req, name);
    }
    case 'cookie': {
      const name = source.name;
      return (req, _params, ctx) => {
        const cookies = ctx !== null ? ctx.cookies : parseCookieHeader(requestHeader(req, 'cookie') ?? '');
        return name === null ? cookies : cookies[name];
      };
    }
    case 'ctx':
      return (_req, _params, ctx) => ctx;
    case 'req':
      return (req) => req;
    case 'res':
      return (_req, _params, ctx) => ctx?.response;
  }
}

function queryResolver(name: string | null, schema: ZodType | null): ArgResolver {
  if (name === null) {
    if (schema === null) return (req) => queryToObject(req.query);
    return (req) => validate(schema, queryToObject(req.query), 'query');
  }
  if (schema === null) return (req) => queryValue(req.query, name);
  return (req) => validate(schema, queryValue(req.query, name), `query parameter ${name}`);
}

/**
 * Validates `value` with a zod schema; returns the parsed (possibly transformed) value.
 * @throws ValidationError (400) with one issue per problem
 */
export function validate(schema: ZodType, value: unknown, what: string): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    `invalid ${what}`,
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}
