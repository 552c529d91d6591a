import type { Endpoint, MatchResult } from '../../src/index.js';

/** An endpoint for tests: defaults to 127.0.0.1:8000, no domain, plain TCP. */
export function endpoint(ip = '127.0.0.1', port = 8000, domain = ''): Endpoint {
  return { ip, port, domain, isTls: false };
}

/** The value of a found match, or the kind of a miss: compact expectations. */
export function outcome<T>(result: MatchResult<T>): T | 'not-found' | `405 ${string}` {
  if (result.kind === 'found') return result.value;
  if (result.kind === 'method-not-allowed') return `405 ${result.allow}`;
  return 'not-found';
}
