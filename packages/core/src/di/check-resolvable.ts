import type {} from 'reflect-metadata'; // the types of Reflect.getMetadata (di/tsyringe.ts loads it)
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { CoreError } from '../errors.js';

const PRIMITIVES = new Set<unknown>([Object, String, Number, Boolean, Array, Function, Symbol, Promise]);

/**
 * Walks the constructor dependencies of `target` before tsyringe resolves it, so a missing or
 * circular dependency fails at start with the chain of class names
 * (`HelloController → Greeter → parameter #0 (Object)`), not with tsyringe's nested message.
 * @throws CoreError `BBWS_ERR_DI_MISSING` or `BBWS_ERR_DI_CIRCULAR`
 */
export function checkResolvable(
  container: DependencyContainer,
  target: abstract new (...args: never[]) => unknown,
): void {
  walk(container, target, []);
}

function walk(
  container: DependencyContainer,
  target: abstract new (...args: never[]) => unknown,
  chain: string[],
): void {
  const name = target.name || '(anonymous class)';
  if (chain.includes(name)) {
    throw new CoreError('BBWS_ERR_DI_CIRCULAR', `circular dependency: ${[...chain, name].join(' → ')}`);
  }
  const path = [...chain, name];
  const types: unknown[] = Reflect.getMetadata('design:paramtypes', target) ?? [];
  // tsyringe records @inject(token) per parameter index under this key.
  const tokens: Record<number, unknown> = Reflect.getMetadata('injectionTokens', target) ?? {};
  const length = Math.max(types.length, target.length);
  for (let i = 0; i < length; i++) {
    let token = tokens[i] ?? types[i];
    if (typeof token === 'object' && token !== null && 'token' in token) {
      // tsyringe's @inject / @injectAll descriptor: optional and multi-value tokens may be unregistered.
      const descriptor = token as { token: unknown; multiple?: boolean; isOptional?: boolean };
      if (descriptor.multiple === true || descriptor.isOptional === true) continue;
      token = descriptor.token;
    }
    const where = `${path.join(' → ')} → parameter #${i}`;
    if (token === undefined) {
      throw new CoreError(
        'BBWS_ERR_DI_MISSING',
        `${where} has no type at run time: a circular import, an \`import type\`, a class without @injectable(), or no emitDecoratorMetadata; use @inject(token) or @inject(delay(() => Class))`,
      );
    }
    // delay() wrappers resolve lazily; tsyringe checks them itself.
    if (typeof token === 'object' && token !== null) continue;
    if (container.isRegistered(token as InjectionToken<unknown>, true)) continue;
    if (typeof token !== 'function') {
      throw new CoreError('BBWS_ERR_DI_MISSING', `${where}: no provider for token ${String(token)}`);
    }
    if (PRIMITIVES.has(token)) {
      throw new CoreError(
        'BBWS_ERR_DI_MISSING',
        `${where} has type ${(token as { name: string }).name} (an interface or primitive); register a provider and use @inject(token)`,
      );
    }
    walk(container, token as abstract new (...args: never[]) => unknown, path);
  }
}
