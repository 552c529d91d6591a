import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MessagePort } from 'node:worker_threads';

/** Hooks thread → main thread: compile this file. */
export interface TransformRequest {
  readonly id: number;
  readonly url: string;
}

/** Main thread → hooks thread: the JavaScript, or why there is none. */
export type TransformReply =
  | { readonly id: number; readonly code: string }
  | { readonly id: number; readonly error: string; readonly errorCode: string | undefined };

interface Swc {
  transform(source: string, options: Record<string, unknown>): Promise<{ readonly code: string }>;
}

/** `.ts` files a worker may have to load. */
export const TS_FILE = /\.(?:m?ts|tsx)$/;

/**
 * The main-thread half of loading TypeScript in pool workers (tests run apps from `.ts`
 * sources, and Node 20 cannot import `.ts`). A worker's module hooks send each `.ts` file here
 * and get JavaScript back. The compile runs in the main thread on purpose: @swc/core's native
 * binding crashes the process (SIGSEGV, Node 20.20) when loaded in a thread that is terminated
 * and then loaded again in another, which is exactly what replacing or closing pool workers
 * does. swc options are the recommended vitest setup's: legacy decorators with
 * `design:paramtypes`, so constructor injection works in the worker too. @swc/core is looked up
 * from the app's module, so it is the project's own dev dependency.
 * @returns the port to hand to one worker (transfer it); the service ends when that worker does
 */
export function tsTransformPort(moduleUrl: string): MessagePort {
  const { port1, port2 } = new (process.getBuiltinModule('node:worker_threads').MessageChannel)();
  port1.on('message', (request: TransformRequest) => {
    transform(moduleUrl, request.url).then(
      (code) => port1.postMessage({ id: request.id, code } satisfies TransformReply),
      (error: unknown) =>
        port1.postMessage({
          id: request.id,
          error: error instanceof Error ? error.message : String(error),
          errorCode: (error as { code?: string }).code,
        } satisfies TransformReply),
    );
  });
  port1.unref();
  return port2;
}

let swc: Promise<Swc> | null = null;

function loadSwc(moduleUrl: string): Promise<Swc> {
  swc ??= (async () => {
    let path: string;
    try {
      path = createRequire(moduleUrl).resolve('@swc/core');
    } catch (error) {
      swc = null;
      throw Object.assign(
        new Error(
          `BBWS_ERR_OFFLOAD_TS_LOADER: pool workers must load the TypeScript module ${moduleUrl} and need @swc/core for it (install it as a dev dependency, as the vitest setup does), or run compiled JavaScript`,
          { cause: error },
        ),
        { code: 'BBWS_ERR_OFFLOAD_TS_LOADER' },
      );
    }
    const loaded = (await import(pathToFileURL(path).href)) as Swc & { default?: Swc };
    return typeof loaded.transform === 'function' ? loaded : (loaded.default as Swc);
  })();
  return swc;
}

/** Compiled files by URL and modification time: a replacement worker loads the same files again. */
const compiled = new Map<string, { readonly mtimeMs: number; readonly code: Promise<string> }>();

async function transform(moduleUrl: string, url: string): Promise<string> {
  const { mtimeMs } = await stat(fileURLToPath(url));
  const cached = compiled.get(url);
  if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.code;
  const code = compile(moduleUrl, url);
  compiled.set(url, { mtimeMs, code });
  code.catch(() => compiled.delete(url));
  return code;
}

async function compile(moduleUrl: string, url: string): Promise<string> {
  const filename = fileURLToPath(url);
  const [compiler, source] = await Promise.all([loadSwc(moduleUrl), readFile(filename, 'utf8')]);
  const { code } = await compiler.transform(source, {
    filename,
    sourceMaps: 'inline',
    module: { type: 'es6' },
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx: filename.endsWith('.tsx') },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
  });
  return code;
}
