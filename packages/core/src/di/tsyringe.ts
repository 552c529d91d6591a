import { createRequire } from 'node:module';
import type * as Tsyringe from 'tsyringe';

// tsyringe and the Reflect polyfill it needs are CommonJS. Loaded with `import`, Node 20 first
// scans their sources (and every file tsyringe re-exports) for export names; through require()
// that scan does not happen: 95 M instructions instead of 373 M, about 50 ms of every start
// (docs/architecture.md, "What start loads"). It is the same instance `import 'tsyringe'` gets:
// both go through the one CommonJS module cache.
const require = createRequire(import.meta.url);
require('reflect-metadata');

/** tsyringe, loaded after its Reflect polyfill. */
export const tsyringe = require('tsyringe') as typeof Tsyringe;
