import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE_ERRORS } from '../../packages/core/src/errors.js';
import { OFFLOAD_ERRORS } from '../../packages/core/src/offload/offload-error.js';
import { SCAFFOLD_ERRORS } from '../../packages/create-app/src/errors.js';
import { RESPONSES_ERRORS } from '../../packages/responses/src/errors.js';
import { ROUTER_ERRORS } from '../../packages/router/src/errors.js';
import { TESTING_ERRORS } from '../../packages/testing/src/errors.js';
import { TRANSPORT_ERRORS } from '../../packages/transport/src/errors.js';
import { WORKER_POOL_ERRORS } from '../../packages/transport/src/worker-pool/worker-pool-error.js';
// @ts-expect-error: a plain ESM script without types
import { renderErrorsPage } from '../../scripts/errors-page.mjs';
import { describeDocExamples } from './doc-examples.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TABLES = {
  router: ROUTER_ERRORS,
  responses: RESPONSES_ERRORS,
  transport: TRANSPORT_ERRORS,
  pool: WORKER_POOL_ERRORS,
  core: CORE_ERRORS,
  offload: OFFLOAD_ERRORS,
  testing: TESTING_ERRORS,
  scaffold: SCAFFOLD_ERRORS,
};
/** A code as a string literal: what a throw site passes (table keys are bare identifiers). */
const USED_CODE = /'(BBWS_ERR_[A-Z_]+)'/g;

/** Every error code a package's source passes as a string literal, with the files naming it. */
function codesUsedInSources(): Map<string, string[]> {
  const codes = new Map<string, string[]>();
  for (const pkg of readdirSync(join(ROOT, 'packages'))) {
    const src = join(ROOT, 'packages', pkg, 'src');
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      for (const [, code] of readFileSync(join(src, file), 'utf8').matchAll(USED_CODE)) {
        codes.set(code as string, [...(codes.get(code as string) ?? []), `${pkg}/src/${file}`]);
      }
    }
  }
  return codes;
}

describe('docs/errors.md', () => {
  it('is the page `pnpm docs:errors` generates from the error tables', () => {
    const page = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
    expect(page).toBe(renderErrorsPage(TABLES));
  });

  it('lists every code the packages throw, and every code it lists is thrown somewhere', () => {
    const documented = new Set(Object.values(TABLES).flatMap((table) => Object.keys(table)));
    const used = codesUsedInSources();
    expect(used.size).toBeGreaterThan(40);
    expect([...used.keys()].filter((code) => !documented.has(code)).sort(), 'thrown, not in a table').toEqual(
      [],
    );
    expect([...documented].filter((code) => !used.has(code)).sort(), 'in a table, never thrown').toEqual([]);
  });

  it('gives each code one meaning: no code is in two tables', () => {
    const all = Object.values(TABLES).flatMap((table) => Object.keys(table));
    expect(all.filter((code, at) => all.indexOf(code) !== at)).toEqual([]);
  });
});

await describeDocExamples('docs/errors.md');
