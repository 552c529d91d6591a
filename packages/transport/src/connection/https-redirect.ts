import type { HttpsRedirect } from './listener-context.js';

/**
 * Whether `path` is served over plain HTTP despite `https-redirect`: it equals an entry of
 * `https-redirect-escape-paths`, or starts with an entry's text before its trailing `*`.
 */
export function isEscapedPath(redirect: HttpsRedirect, path: string): boolean {
  for (const pattern of redirect.escapePaths) {
    if (pattern.endsWith('*')) {
      if (path.startsWith(pattern.slice(0, -1))) return true;
    } else if (path === pattern) {
      return true;
    }
  }
  return false;
}

/**
 * The `Location` header line of a 301 to https: `host` (a request's domain, or the listener's
 * ip) in brackets when it is IPv6, the redirect's port unless it is 443 or unknown, then the
 * path and query. An `OPTIONS *` is sent to `/`.
 */
export function httpsLocationLine(
  redirect: HttpsRedirect,
  host: string,
  path: string,
  query: string,
): string {
  const name = host.includes(':') ? `[${host}]` : host;
  const port = redirect.port === undefined || redirect.port === 443 ? '' : `:${redirect.port}`;
  const target = path === '*' ? '/' : path;
  return `Location: https://${name}${port}${target}${query === '' ? '' : `?${query}`}\r\n`;
}
