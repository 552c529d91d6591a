/** Parses a raw query string; repeated keys become arrays (`a=1&a=2` → `{ a: ['1', '2'] }`). */
export function queryToObject(query: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = Object.create(null);
  if (query === '') return result;
  for (const [key, value] of new URLSearchParams(query)) {
    const existing = result[key];
    if (existing === undefined) result[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else result[key] = [existing, value];
  }
  return result;
}

/** The first value of one query key, without parsing the rest into an object. */
export function queryValue(query: string, name: string): string | undefined {
  if (query === '') return undefined;
  return new URLSearchParams(query).get(name) ?? undefined;
}
