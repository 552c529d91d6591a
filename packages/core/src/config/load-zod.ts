import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Zod from 'zod';

/**
 * zod, loaded when first needed rather than at start (docs/architecture.md, "What start
 * loads"). It is zod's ES module build, loaded through require() (Node >= 20.19), so it is the
 * one instance an app's own `import { z } from 'zod'` gets.
 */
export function loadZod(): typeof Zod {
  const require = createRequire(import.meta.url);
  return require(fileURLToPath(import.meta.resolve('zod'))) as typeof Zod;
}
