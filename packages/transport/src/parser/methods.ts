import { latin1 } from './latin1.js';

/** Methods returned as interned strings without decoding bytes. */
const KNOWN_METHODS = ['GET', 'PUT', 'POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'];

/**
 * The methods RFC 9110 §9.3 (and RFC 5789, PATCH) define on a target resource, so `*` means
 * nothing to them. OPTIONS is not here: it defines `*` as the server itself (RFC 9110 §9.3.7).
 */
const RESOURCE_METHODS = new Set(KNOWN_METHODS.filter((name) => name !== 'OPTIONS'));

const byLength: Array<Array<{ readonly name: string; readonly bytes: Buffer }>> = [];
for (const name of KNOWN_METHODS) {
  const list = byLength[name.length] ?? [];
  list.push({ name, bytes: Buffer.from(name, 'latin1') });
  byLength[name.length] = list;
}

/** The method token at `buf[start, end)` (already validated as a token). Hot. */
export function methodName(buf: Buffer, start: number, end: number): string {
  const candidates = byLength[end - start];
  if (candidates !== undefined) {
    for (let c = 0; c < candidates.length; c++) {
      const candidate = candidates[c] as { readonly name: string; readonly bytes: Buffer };
      const bytes = candidate.bytes;
      let i = 0;
      while (i < bytes.length && buf[start + i] === bytes[i]) i++;
      if (i === bytes.length) return candidate.name;
    }
  }
  return latin1(buf, start, end);
}

/**
 * Whether a request with `method` may use the asterisk-form target `*`: OPTIONS (RFC 9112
 * §3.2.4), and any method that RFC 9110 does not define, since its own specification may give
 * `*` a meaning (SSDP's `M-SEARCH *` and `NOTIFY *`). The application answers an unknown method
 * 501; the parser only refuses what is meaningless whatever the method's semantics.
 */
export function allowsAsteriskForm(method: string): boolean {
  return !RESOURCE_METHODS.has(method);
}
