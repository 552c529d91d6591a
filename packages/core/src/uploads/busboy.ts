import { createRequire } from 'node:module';
import type Busboy from 'busboy';

// busboy parses multipart/form-data: loaded on the first multipart body, not at start, and
// through require(), which spares Node's export-name scan of CommonJS (docs/architecture.md,
// "What start loads").
let busboy: typeof Busboy | null = null;

/** A busboy parser for a multipart body; throws busboy's error for a bad Content-Type. */
export function createBusboy(config: Busboy.BusboyConfig): Busboy.Busboy {
  busboy ??= createRequire(import.meta.url)('busboy') as typeof Busboy;
  return busboy(config);
}
