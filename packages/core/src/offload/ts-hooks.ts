/**
 * Module hooks a pool worker registers (`module.register`) only when the module it must load
 * is TypeScript. Each `.ts` file is compiled by the main thread (see ts-transform-service.ts
 * for why there), and `./x.js` written in a `.ts` file resolves to `./x.ts`, as `module:
 * nodenext` sources write it. Production (compiled JavaScript) never registers these hooks.
 * @see docs/worker-pool.md
 */
import type { MessagePort } from 'node:worker_threads';
import type { TransformReply, TransformRequest } from './ts-transform-service.js';

interface ResolveContext {
  readonly parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;
type NextLoad = (url: string, context: unknown) => Promise<unknown>;

const TS_FILE = /\.(?:m?ts|tsx)$/;

let port: MessagePort | null = null;
let nextId = 0;
const pending = new Map<number, (reply: TransformReply) => void>();

/** Data from the worker: the port to the main thread's compiler. */
export function initialize(data: { readonly port: MessagePort }): void {
  port = data.port;
  port.on('message', (reply: TransformReply) => {
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
    if (pending.size === 0) port?.unref();
  });
  port.unref();
}

function compile(url: string): Promise<string> {
  const channel = port;
  if (channel === null) return Promise.reject(new Error('ts-hooks: not initialized'));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, (reply) => {
      if ('code' in reply) resolve(reply.code);
      else reject(Object.assign(new Error(reply.error), { code: reply.errorCode }));
    });
    channel.ref();
    channel.postMessage({ id, url } satisfies TransformRequest);
  });
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve,
): Promise<{ url: string }> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const parent = context.parentURL ?? '';
    if (!TS_FILE.test(parent) || !/^\.{1,2}\//.test(specifier) || !/\.m?js$/.test(specifier)) throw error;
    return nextResolve(specifier.replace(/js$/, 'ts'), context);
  }
}

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<unknown> {
  if (!url.startsWith('file:') || !TS_FILE.test(new URL(url).pathname)) return nextLoad(url, context);
  return { format: 'module', source: await compile(url), shortCircuit: true };
}
