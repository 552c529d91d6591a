import { formatKeyPath } from './config-problems.js';
import {
  compressionConfigSchema,
  configSchema,
  logConfigSchema,
  serverSchema,
  sniHostSchema,
} from './config-schema.js';

const GLOBAL_KEYS = new Set(Object.keys(configSchema.shape));
const SERVER_KEYS = new Set(Object.keys(serverSchema.shape));
const SNI_KEYS = new Set(Object.keys(sniHostSchema.shape));
const LOG_KEYS = new Set(Object.keys(logConfigSchema.shape));
const COMPRESSION_KEYS = new Set(Object.keys(compressionConfigSchema.shape));
const LOG_FILE_KEYS = new Set(['path', 'levels']);

/**
 * Key paths of `input` that no schema knows (`server[0].colour`). They are reported as
 * warnings and dropped, not rejected: a config written for a newer bbwebservice still starts.
 */
export function findUnknownKeys(input: unknown): string[] {
  const found: string[] = [];
  unknownIn(input, GLOBAL_KEYS, [], found);
  const root = input as Record<string, unknown> | null;
  if (root === null || typeof root !== 'object') return found;
  forEachEntry(root.server, ['server'], (server, path) => {
    unknownIn(server, SERVER_KEYS, path, found);
    forEachEntry((server as Record<string, unknown>).host, [...path, 'host'], (sni, sniPath) =>
      unknownIn(sni, SNI_KEYS, sniPath, found),
    );
  });
  unknownIn(root.compression, COMPRESSION_KEYS, ['compression'], found);
  if (root.log !== null && typeof root.log === 'object') {
    unknownIn(root.log, LOG_KEYS, ['log'], found);
    forEachEntry((root.log as Record<string, unknown>).files, ['log', 'files'], (file, path) =>
      unknownIn(file, LOG_FILE_KEYS, path, found),
    );
  }
  return found;
}

function unknownIn(
  value: unknown,
  known: ReadonlySet<string>,
  path: (string | number)[],
  found: string[],
): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (!known.has(key)) found.push(formatKeyPath([...path, key]));
  }
}

function forEachEntry(
  list: unknown,
  path: (string | number)[],
  visit: (entry: object, path: (string | number)[]) => void,
): void {
  if (!Array.isArray(list)) return;
  list.forEach((entry, index) => {
    if (entry !== null && typeof entry === 'object') visit(entry, [...path, index]);
  });
}
