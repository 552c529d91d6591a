/** Types of registry.mjs, for the tests that import it. */
export interface LoopbackRegistry {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly pid: number;
  /** The temp folder with verdaccio's storage, config, log and the npmrc below. */
  readonly storage: string;
  /** A user config with the registry and the release user's token. */
  readonly npmrc: string;
}
export function ensureVerdaccio(): void;
export function freePort(): Promise<number>;
export function startRegistry(options?: { port?: number; deadlineMs?: number }): Promise<LoopbackRegistry>;
export function stopRegistry(registry: Pick<LoopbackRegistry, 'pid' | 'storage'>): void;
export function packWorkspace(destination: string): string[];
export function publishWorkspace(registry: LoopbackRegistry): string[];
