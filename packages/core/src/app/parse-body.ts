import type { HttpRequest } from '@bbws/transport';
import type busboy from 'busboy';
import { HttpError } from '../http-error.js';
import { requestHeader } from '../results/request-headers.js';
import { createBusboy } from '../uploads/busboy.js';
import { queryToObject } from './query.js';

/** One uploaded file of a multipart body. */
export interface UploadedFile {
  /** The form field name. */
  readonly field: string;
  readonly filename: string;
  readonly mimeType: string;
  readonly data: Buffer;
}

/** A parsed `multipart/form-data` body. */
export interface MultipartBody {
  readonly fields: Readonly<Record<string, string | string[]>>;
  readonly files: readonly UploadedFile[];
}

/** Limits for multipart bodies (the whole body is already capped by `max_body_size`). */
export interface MultipartLimits {
  readonly maxFiles: number;
  readonly maxFields: number;
  readonly maxFileBytes: number;
}

const DEFAULT_MULTIPART: MultipartLimits = {
  maxFiles: 20,
  maxFields: 200,
  maxFileBytes: Number.MAX_SAFE_INTEGER,
};

/**
 * Parses a request body by its Content-Type: JSON → value, urlencoded → object,
 * multipart → {@link MultipartBody} (a Promise), `text/*` → string, anything else → bytes.
 * `undefined` when the request has no body.
 * @throws HttpError 400 for malformed JSON or multipart, 413 for a multipart limit
 */
export function parseBody(request: HttpRequest, limits: MultipartLimits = DEFAULT_MULTIPART): unknown {
  const body = request.body;
  if (body === null) return undefined;
  const type = requestHeader(request, 'content-type') ?? '';
  const essence = type.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (essence === 'application/json' || essence.endsWith('+json')) {
    try {
      return JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new HttpError(400, `request body is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (essence === 'application/x-www-form-urlencoded') return queryToObject(body.toString('latin1'));
  if (essence === 'multipart/form-data') return parseMultipart(type, body, limits);
  if (essence.startsWith('text/')) return body.toString('utf8');
  return body;
}

function parseMultipart(type: string, body: Buffer, limits: MultipartLimits): Promise<MultipartBody> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = createBusboy({
        headers: { 'content-type': type },
        limits: { files: limits.maxFiles, fields: limits.maxFields, fileSize: limits.maxFileBytes },
      });
    } catch (error) {
      reject(new HttpError(400, `bad multipart/form-data: ${(error as Error).message}`));
      return;
    }
    const fields: Record<string, string | string[]> = Object.create(null);
    const files: UploadedFile[] = [];
    let failure: HttpError | null = null;
    parser.on('field', (name, value) => {
      const existing = fields[name];
      if (existing === undefined) fields[name] = value;
      else if (Array.isArray(existing)) existing.push(value);
      else fields[name] = [existing, value];
    });
    parser.on('file', (field, stream, info) => {
      const parts: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => parts.push(chunk));
      stream.on('limit', () => {
        failure = new HttpError(
          413,
          `upload ${JSON.stringify(info.filename)} is larger than ${limits.maxFileBytes} bytes`,
        );
      });
      stream.on('end', () => {
        files.push({
          field,
          filename: info.filename ?? '',
          mimeType: info.mimeType,
          data: Buffer.concat(parts),
        });
      });
    });
    parser.on('filesLimit', () => {
      failure = new HttpError(413, `more than ${limits.maxFiles} files`);
    });
    parser.on('fieldsLimit', () => {
      failure = new HttpError(413, `more than ${limits.maxFields} fields`);
    });
    parser.on('error', (error: Error) =>
      reject(new HttpError(400, `bad multipart/form-data: ${error.message}`)),
    );
    parser.on('close', () => (failure === null ? resolve({ fields, files }) : reject(failure)));
    parser.end(body);
  });
}
