import { availableParallelism } from 'node:os';
import { parseSelector } from '@bbws/router';
import type * as Zod from 'zod';

// The config keys of processes, health and draining (docs/processes.md). Each schema node
// carries one `expected` text, as in config-schema.ts. Built by config-schema.ts on first use
// (zod is not loaded at start; see docs/architecture.md, "What start loads").

/** The zod schemas of `processes`, `drain_delay` and `health`, built with the zod given. */
export function clusterSchemas(z: typeof Zod.z) {
  const PROCESSES_EXPECTED = 'a whole number >= 1, or "auto" (one process per core)';

  /** `processes`: how many copies of the app run under node:cluster; `"auto"` is the core count. */
  const processesSchema = z
    .union([z.number(), z.literal('auto')], { error: PROCESSES_EXPECTED })
    .refine((n) => n === 'auto' || (Number.isInteger(n) && n >= 1), { error: PROCESSES_EXPECTED })
    .transform((n) => (n === 'auto' ? availableParallelism() : n));

  const DRAIN_EXPECTED = 'a number of seconds >= 0';

  /** `drain_delay`: seconds between "unready" and the graceful stop. */
  const drainDelaySchema = z
    .number({ error: DRAIN_EXPECTED })
    .min(0, { error: DRAIN_EXPECTED })
    .refine(Number.isFinite, { error: DRAIN_EXPECTED });

  const HEALTH_PATH_EXPECTED =
    'a path starting with "/" (or a selector such as "127.0.0.1:9000::/healthz"), or false';

  /** One health endpoint: a selector or a path (bound to every endpoint), or `false` for none. */
  const healthEndpointSchema = z
    .union([z.string(), z.literal(false)], { error: HEALTH_PATH_EXPECTED })
    .refine(
      (selector) => {
        if (selector === false) return true;
        try {
          return parseSelector(selector).path.startsWith('/');
        } catch {
          // The selector grammar's own message would name a column of a string the user wrote
          // whole; the expectation line says what to write.
          return false;
        }
      },
      { error: HEALTH_PATH_EXPECTED },
    );

  const HEALTH_EXPECTED = 'false, or an object { live, ready } (each a path or false)';

  /** `health`: where liveness and readiness are answered; `false` turns both off. */
  const healthSchema = z
    .union(
      [
        z.literal(false),
        z.object({
          live: healthEndpointSchema.default('/healthz'),
          ready: healthEndpointSchema.default('/readyz'),
        }),
      ],
      { error: HEALTH_EXPECTED },
    )
    .transform((health) => (health === false ? { live: false as const, ready: false as const } : health));

  return { processesSchema, drainDelaySchema, healthSchema };
}

/** The validated `health` section: a selector per endpoint, or `false` where it is off. */
export type HealthConfig = Zod.output<ReturnType<typeof clusterSchemas>['healthSchema']>;
