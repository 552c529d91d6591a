/**
 * Throw from a handler, guard or hook to answer with `status`. The body is JSON
 * `{ "error": message }`, plus `details` when given, unless an `@ErrorHandler` for the status
 * applies. @see docs/controllers.md
 * @example `throw new HttpError(404, 'no such user', { id })`
 */
export class HttpError extends Error {
  override readonly name: string = 'HttpError';
  readonly status: number;
  readonly details: unknown;

  constructor(status: number, message: string, details?: unknown) {
    super(message);
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be 400..599, got ${status}`);
    }
    this.status = status;
    this.details = details;
  }

  /** The JSON body the client receives. */
  toJSON(): Record<string, unknown> {
    return this.details === undefined
      ? { error: this.message }
      : { error: this.message, details: this.details };
  }
}

/** One problem found by a zod schema. */
export interface ValidationIssue {
  /** Dotted path into the value (`user.age`); `''` for the value itself. */
  readonly path: string;
  readonly message: string;
}

/** A 400 from `@Body(schema)` or `@Query(schema)`: `{ error, issues: [{ path, message }] }`. */
export class ValidationError extends HttpError {
  override readonly name = 'ValidationError';
  readonly issues: readonly ValidationIssue[];

  constructor(message: string, issues: readonly ValidationIssue[]) {
    super(400, message);
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { error: this.message, issues: this.issues };
  }
}
