import { parseSelector } from '@bbws/router';

/**
 * Joins a controller prefix (`'::/api'`) with a method selector (`'/hello'`) into one
 * selector (`'::/api/hello'`). Skeleton: the method selector is a plain path.
 */
export function joinSelector(prefix: string, selector: string): string {
  if (prefix === '') return selector;
  const p = parseSelector(prefix);
  const head = prefix.slice(0, prefix.length - p.path.length);
  const path = p.path.endsWith('/') ? p.path.slice(0, -1) : p.path;
  return `${head}${path}${selector.startsWith('/') ? selector : `/${selector}`}`;
}
