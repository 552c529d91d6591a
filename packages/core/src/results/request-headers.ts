import type { FileRequest } from '@bbws/responses';
import type { HttpRequest } from '@bbws/transport';

/** The first value of a request header (`name` lower-case), or undefined. */
export function requestHeader(request: HttpRequest, name: string): string | undefined {
  const headers = request.headers;
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return headers[i + 1];
  return undefined;
}

/** The fields a file answer depends on, gathered in one pass over the headers. */
export function fileRequestOf(request: HttpRequest): FileRequest {
  let range: string | undefined;
  let ifRange: string | undefined;
  let ifMatch: string | undefined;
  let ifNoneMatch: string | undefined;
  let ifModifiedSince: string | undefined;
  let ifUnmodifiedSince: string | undefined;
  const headers = request.headers;
  for (let i = 0; i < headers.length; i += 2) {
    const value = headers[i + 1] as string;
    switch (headers[i]) {
      case 'range':
        range ??= value;
        break;
      case 'if-range':
        ifRange ??= value;
        break;
      case 'if-match':
        ifMatch = ifMatch === undefined ? value : `${ifMatch}, ${value}`;
        break;
      case 'if-none-match':
        ifNoneMatch = ifNoneMatch === undefined ? value : `${ifNoneMatch}, ${value}`;
        break;
      case 'if-modified-since':
        ifModifiedSince ??= value;
        break;
      case 'if-unmodified-since':
        ifUnmodifiedSince ??= value;
        break;
    }
  }
  return { method: request.method, range, ifRange, ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince };
}
