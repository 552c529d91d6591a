import type { ZodType } from 'zod';
import { CoreError } from '../errors.js';
import type { UploadLimits } from '../uploads/upload-stream.js';
import { controllerMetadata, type ParamSource } from './metadata.js';
import { methodName } from './method-name.js';

function param(decorator: string, source: ParamSource): ParameterDecorator {
  return (target, propertyKey, index) => {
    const name = methodName(decorator, target, propertyKey);
    const params = controllerMetadata(target.constructor).params;
    let list = params.get(name);
    if (list === undefined) {
      list = [];
      params.set(name, list);
    }
    list[index] = source;
  };
}

/** Whether `value` is a zod schema (has `safeParse`); `createApp` refuses anything else. */
export function isZodSchema(value: unknown): value is ZodType {
  return typeof value === 'object' && value !== null && typeof (value as ZodType).safeParse === 'function';
}

/** The URL template placeholder `name`, converted to its declared type. @see docs/controllers.md */
export const Param = (name: string): ParameterDecorator => param('@Param', { kind: 'param', name });

/**
 * The query string: `@Query()` the whole query as an object (repeated keys become arrays),
 * `@Query('page')` one value, `@Query(schema)` the whole query validated by a zod schema,
 * `@Query('page', schema)` one value validated. Validation failures answer 400.
 * @see docs/controllers.md
 */
export function Query(nameOrSchema?: string | ZodType, schema?: ZodType): ParameterDecorator {
  if (isZodSchema(nameOrSchema)) return param('@Query', { kind: 'query', name: null, schema: nameOrSchema });
  return param('@Query', { kind: 'query', name: nameOrSchema ?? null, schema: schema ?? null });
}

/**
 * The request body, parsed by Content-Type: JSON, `application/x-www-form-urlencoded` (an
 * object), `multipart/form-data` (fields and files), `text/*` (a string), anything else the raw
 * bytes. With a zod schema the parsed body is validated; failures answer 400.
 * @see docs/controllers.md
 */
export const Body = (schema?: ZodType): ParameterDecorator =>
  param('@Body', { kind: 'body', schema: schema ?? null });

/** A request header (case-insensitive name); `undefined` when absent. @see docs/controllers.md */
export const Header = (name: string): ParameterDecorator =>
  param('@Header', { kind: 'header', name: name.toLowerCase() });

/** One cookie of the request, or all cookies as an object with `@Cookie()`. @see docs/controllers.md */
export const Cookie = (name?: string): ParameterDecorator =>
  param('@Cookie', { kind: 'cookie', name: name ?? null });

/** The {@link RequestContext}: request data and the response head. @see docs/controllers.md */
export const Ctx = (): ParameterDecorator => param('@Ctx', { kind: 'ctx' });

/** The transport's raw request object (`HttpRequest`). @see docs/controllers.md */
export const Req = (): ParameterDecorator => param('@Req', { kind: 'req' });

/** The response head (`ResponseHead`): add headers and cookies, set the status. @see docs/controllers.md */
export const Res = (): ParameterDecorator => param('@Res', { kind: 'res' });

/**
 * A `multipart/form-data` body as it arrives: an {@link UploadStream} of fields and files,
 * each file a stream. The route's body is streamed, never held whole, so `maxTotalBytes` may
 * exceed `max_body_size` (an upload of 1 GiB keeps server memory flat). A route takes one.
 * @throws CoreError `BBWS_ERR_DECORATOR_MISUSE` for a limit that is not a positive whole number
 * @see docs/controllers.md#uploads
 */
export function Upload(limits: UploadLimits = {}): ParameterDecorator {
  for (const [key, value] of Object.entries(limits)) {
    if (value !== undefined && (!Number.isSafeInteger(value) || (value as number) <= 0)) {
      throw new CoreError(
        'BBWS_ERR_DECORATOR_MISUSE',
        `@Upload: ${key} must be a positive whole number of ${key.endsWith('Bytes') ? 'bytes' : 'parts'}, got ${JSON.stringify(value)}`,
      );
    }
  }
  return param('@Upload', { kind: 'upload', limits: Object.freeze({ ...limits }) });
}
