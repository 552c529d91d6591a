import type { HttpRequest } from '@bbws/transport';
import { HttpError } from '../http-error.js';
import { requestHeader } from '../results/request-headers.js';
import { type UploadLimits, UploadStream } from './upload-stream.js';

/**
 * The resolver of an `@Upload()` parameter: the request's streamed body as an
 * {@link UploadStream}. A body the transport buffered (an offloaded route, an adapter) is read
 * the same way, so the handler is the same wherever it runs.
 */
export function uploadResolver(limits: UploadLimits): (request: HttpRequest) => UploadStream {
  return (request) => {
    const body = request.bodyStream ?? request.body;
    if (body === null || body === undefined)
      throw new HttpError(400, 'an upload needs a multipart/form-data body');
    const maxFileBytes = limits.maxFileBytes ?? limits.maxTotalBytes ?? Number.MAX_SAFE_INTEGER;
    return new UploadStream(body, requestHeader(request, 'content-type') ?? '', { ...limits, maxFileBytes });
  };
}
