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
