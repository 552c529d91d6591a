import type { z } from 'zod';

/** A key path as people write it: `server[0].port`, `log.files[1].path`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** A value for a problem line: JSON, shortened; `nothing` when absent. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Only reachable for objects handed in from code (cycles): show their type instead.
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * One line per zod issue: `key: got VALUE, expected WHAT`. A key whose value came from an
 * environment variable is named by the variable too: `BBWS_PORT (server[0].port): ...`.
 * @param origins key path → environment variable that set it
 */
export function issueLines(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  origins: ReadonlyMap<string, string>,
): string[] {
  return issues.map((issue) => {
    const key = formatKeyPath(issue.path);
    const variable = origins.get(key);
    const where = variable === undefined ? key : `${variable} (${key})`;
    return `${where}: got ${formatValue(valueAt(input, issue.path))}, expected ${issue.message}`;
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
