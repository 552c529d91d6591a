/**
 * @packageDocumentation
 * `bbwebservice/testing`: the test client, kept out of the main entry so an app's production
 * import of `bbwebservice` loads neither `@bbws/testing` nor its SSE parser. See docs/testing.md.
 * @example
 * ```ts
 * import { TestClient, override } from 'bbwebservice/testing';
 * ```
 */
export * from '@bbws/testing';
