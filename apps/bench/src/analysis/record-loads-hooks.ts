/** The loader-thread half of record-loads.ts: appends each resolved module URL to the file. */
import { appendFileSync } from 'node:fs';

let out = '';

export function initialize(data: { out: string }): void {
  out = data.out;
}

type NextResolve = (specifier: string, context: object) => Promise<{ url: string }>;

export async function resolve(
  specifier: string,
  context: object,
  nextResolve: NextResolve,
): Promise<{ url: string }> {
  const result = await nextResolve(specifier, context);
  appendFileSync(out, `${result.url}\n`);
  return result;
}
