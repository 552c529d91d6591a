import { CONFIG_KEYS } from './config-fast-path.js';
import { formatKeyPath } from './config-problems.js';

const GLOBAL_KEYS = CONFIG_KEYS.global;
const SERVER_KEYS = CONFIG_KEYS.server;
const SNI_KEYS = CONFIG_KEYS.sniHost;
const LOG_KEYS = CONFIG_KEYS.log;
const COMPRESSION_KEYS = CONFIG_KEYS.compression;
const LOG_FILE_KEYS = CONFIG_KEYS.logFile;

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
