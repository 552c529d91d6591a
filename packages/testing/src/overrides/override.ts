import type { ProviderEntry } from '@bbws/core';
import { type DependencyContainer, type InjectionToken, instanceCachingFactory } from 'tsyringe';

/** A class whose instances stand in for a `T`. */
// biome-ignore lint/suspicious/noExplicitAny: constructor parameters are resolved by DI.
export type ClassOf<T> = new (...args: any[]) => T;

/** The three ways to replace a provider, typed by the token they replace. */
export interface ProviderOverride<T> {
  /** Every resolution of the token gets `value` (a fake, a stub, an object of spies). */
  useValue(value: T): ProviderEntry;
  /**
   * The token resolves to an instance of `cls`, built by the client's container (so `cls`
   * gets its own dependencies injected). One instance per client, so a test can reach it
   * with `client.resolve(token)` and spy on the very object the controller holds.
   */
  useClass(cls: ClassOf<T>): ProviderEntry;
  /** The token resolves to what `factory` returns, called once per client. */
  useFactory(factory: (container: DependencyContainer) => T): ProviderEntry;
}

/**
 * Replaces the provider of `token` for one test client (or one app), type-checked against the
 * token. The registration goes on the app's child container; tsyringe's global container is
 * not touched.
 * @example
 * ```ts
 * const client = await TestClient.create({
 *   controllers: [GreetingController],
 *   providers: [override(Greeter).useValue({ greet: () => 'stub' })],
 * });
 * ```
 * @see docs/testing.md
 */
export function override<T>(token: InjectionToken<T>): ProviderOverride<T> {
  return {
    useValue: (value) => [token, { useValue: value }],
    useClass: (cls) => [token, { useFactory: instanceCachingFactory((c) => c.resolve(cls)) }],
    useFactory: (factory) => [token, { useFactory: instanceCachingFactory(factory) }],
  };
}
