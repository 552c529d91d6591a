/**
 * The root of every error bbwebservice throws: a stable `code` (`BBWS_ERR_*`) and a message
 * that names the offending input. Each package has its own subclass (`RouterError`,
 * `ResponsesError`, `TransportError`, `CoreError`, `TestingError`, `ScaffoldError`).
 *
 * `instanceof` holds across two copies of a package (two versions installed side by side, a
 * bundled and an external copy): instances carry the `Symbol.for('bbws.error')` brand and
 * `instanceof` compares the brand and the class names of the prototype chain, not identity
 * (undici's pattern). This file exists three times, in @bbws/router, @bbws/responses and
 * create-bbws-app (none depends on another); a test keeps the copies identical.
 * @see docs/errors.md
 */
const BRAND: unique symbol = Symbol.for('bbws.error') as never;

export class BbwsError extends Error {
  override readonly name: string = 'BbwsError';
  /** The stable code; see docs/errors.md. Codes never change meaning; test codes, not messages. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** The brand: set on every instance, whichever copy of the package built it. */
  get [BRAND](): true {
    return true;
  }

  /**
   * `value instanceof SomeBbwsError`: `value` is branded and its prototype chain has a class of
   * that name, from any copy of the package.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as { [BRAND]?: unknown })[BRAND] !== true) return false;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of `instanceof` (a subclass too), not BbwsError
    const name = this.name;
    for (
      let proto: object | null = Object.getPrototypeOf(value);
      proto !== null;
      proto = Object.getPrototypeOf(proto)
    ) {
      const ctor = (proto as { constructor?: unknown }).constructor;
      // biome-ignore lint/complexity/noThisInStatic: as above, the class being tested
      if (ctor === this || (typeof ctor === 'function' && ctor.name === name)) return true;
    }
    return false;
  }
}
