import { latin1 } from './latin1.js';

/** Methods returned as interned strings without decoding bytes. */
const KNOWN_METHODS = ['GET', 'PUT', 'POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'];

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
