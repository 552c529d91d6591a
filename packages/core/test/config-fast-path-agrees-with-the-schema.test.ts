import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_KEYS,
  defaultConfig,
  defaultServerConfig,
  parseConfigFast,
} from '../src/config/config-fast-path.js';
import { configSchemas } from '../src/config/config-schema.js';
import { OVERRIDABLE_LIMITS } from '../src/config/overridable-limits.js';

const { configSchema, serverSchema, logConfigSchema, compressionConfigSchema } = configSchemas();

/** Values of every kind the schema sees, right and wrong for one key or another. */
const ANY_VALUE = [
  0,
  1,
  -1,
  1.5,
  11,
  12,
  65_535,
  65_536,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  '5',
  '',
  true,
  false,
  null,
  'auto',
  'socket',
  'adapter',
  'wsgi',
  'pool',
  'inline-only',
  'default',
  '127.0.0.1',
  '[::1]',
  '::1',
  '[127.0.0.1]',
  'not an ip',
  [],
  ['br'],
  ['gzip', 'br'],
  ['deflate'],
  ['INFO', 'debug'],
  ['loud'],
  ['/health', '/static/*'],
  ['/a*b'],
  [''],
  {},
  { '::': { debug: true } },
  [{ path: 'x.log' }],
];

/** A value for a key: mostly of the kind of its default, now and then anything. */
function valueLike(fallback: unknown): fc.Arbitrary<unknown> {
  const sameKind =
    typeof fallback === 'number'
      ? fc.oneof(
          { weight: 12, arbitrary: fc.constant(fallback) },
          { weight: 2, arbitrary: fc.nat(12) },
          { weight: 1, arbitrary: fc.nat(70_000) },
          { weight: 1, arbitrary: fc.double({ min: 0, max: 100, noNaN: true }) },
        )
      : typeof fallback === 'boolean'
        ? fc.boolean()
        : fc.oneof(
            { weight: 12, arbitrary: fc.constant(fallback) },
            {
              weight: 1,
              arbitrary: fc.constantFrom(...ANY_VALUE.filter((v) => typeof v === typeof fallback)),
            },
          );
  // Mostly right for the key, so that whole configs pass often enough to compare their values.
  return fc.oneof(
    { weight: 80, arbitrary: sameKind },
    { weight: 1, arbitrary: fc.constantFrom(...ANY_VALUE) },
  );
}

/** An object with some of `defaults`' keys (and an unknown one now and then). */
function sectionLike(defaults: Record<string, unknown>, extra: Record<string, fc.Arbitrary<unknown>> = {}) {
  const keys: Record<string, fc.Arbitrary<unknown>> = { colour: fc.constant('blue'), ...extra };
  for (const [key, value] of Object.entries(defaults)) keys[key] ??= valueLike(value);
  return fc.record(keys, { requiredKeys: [] });
}

const serverLike = sectionLike(defaultServerConfig() as unknown as Record<string, unknown>, {
  SSL: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  ...Object.fromEntries(OVERRIDABLE_LIMITS.map((key) => [key, valueLike(1)])),
  https_port: valueLike(443),
});

const configLike = sectionLike(defaultConfig() as unknown as Record<string, unknown>, {
  processes: fc.oneof(
    { weight: 60, arbitrary: fc.constant(1) },
    fc.nat(4),
    fc.constant('auto'),
    fc.constant(1.5),
  ),
  trust_proxy_header: fc.oneof(
    { weight: 60, arbitrary: fc.constant('x-forwarded') },
    fc.constant('forwarded'),
    fc.constant('X-Forwarded'),
  ),
  trust_proxy: fc.oneof(
    { weight: 100, arbitrary: fc.constant(false) },
    fc.constant(true),
    fc.nat(3),
    fc.constant(['loopback', '10.0.0.0/8']),
    fc.constant(['not an address']),
  ),
  health: fc.oneof(
    { weight: 60, arbitrary: sectionLike(defaultConfig().health as unknown as Record<string, unknown>) },
    fc.constant(false),
    fc.constant({ live: '127.0.0.1:9000::/live', ready: false }),
    fc.constant({ live: '/h{x' }),
    fc.constantFrom(...ANY_VALUE),
  ),
  server: fc.oneof(
    { weight: 3, arbitrary: fc.array(serverLike, { maxLength: 2 }) },
    fc.constantFrom(...ANY_VALUE),
  ),
  log: fc.oneof(
    { weight: 3, arbitrary: sectionLike(defaultConfig().log as unknown as Record<string, unknown>) },
    fc.constantFrom(...ANY_VALUE),
  ),
  compression: fc.oneof(
    { weight: 3, arbitrary: sectionLike(defaultConfig().compression as unknown as Record<string, unknown>) },
    fc.constantFrom(...ANY_VALUE),
  ),
});

describe('the config fast path (no zod at start)', () => {
  it('gives the defaults zod gives, key for key and in the same order', () => {
    expect(defaultConfig()).toStrictEqual(configSchema.parse({}));
    expect(JSON.stringify(defaultConfig())).toBe(JSON.stringify(configSchema.parse({})));
    expect(JSON.stringify(defaultServerConfig())).toBe(JSON.stringify(serverSchema.parse({})));
  });

  it('knows exactly the keys the schema knows', () => {
    expect([...CONFIG_KEYS.global]).toEqual(Object.keys(configSchema.shape));
    expect([...CONFIG_KEYS.server]).toEqual(Object.keys(serverSchema.shape));
    expect([...CONFIG_KEYS.log]).toEqual(Object.keys(logConfigSchema.shape));
    expect([...CONFIG_KEYS.compression]).toEqual(Object.keys(compressionConfigSchema.shape));
    expect(OVERRIDABLE_LIMITS).toEqual(Object.keys(configSchemas().overridableLimits));
  });

  it('reads the created default file and a plain edited one itself', () => {
    const file = JSON.parse(JSON.stringify(configSchema.parse({})));
    expect(parseConfigFast(file)).toStrictEqual(configSchema.parse(file));
    const edited = { ...file, dev_mode: true, server: [{ ip: '[::1]', port: 8080, max_body_size: 1 }] };
    expect(parseConfigFast(edited)).toStrictEqual(configSchema.parse(edited));
  });

  it('whatever it accepts, zod parses to the same value; it accepts nothing zod rejects', () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(configLike, (input) => {
        runs++;
        const fast = parseConfigFast(input);
        const slow = configSchema.safeParse(input);
        if (fast === null) return;
        accepted++;
        expect(slow.success).toBe(true);
        expect(fast).toStrictEqual(slow.data);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.data));
      }),
      { numRuns: 3000 },
    );
    // Not a vacuous pass: a good share of the inputs (about 5% with every key drawn at random;
    // a floor of 2.5%) took the fast path.
    expect(accepted).toBeGreaterThan(runs / 40);
  });

  it('leaves to zod what it does not check itself', () => {
    expect(parseConfigFast({ server: [{ SSL: true, cert_path: 'c', key_path: 'k' }] })).toBeNull();
    expect(parseConfigFast({ log: { files: [{ path: 'x.log' }] } })).toBeNull();
    expect(parseConfigFast({ log: { scopes: { '::': { debug: true } } } })).toBeNull();
    expect(
      parseConfigFast({ server: [{ host: [{ host: 'a', cert_path: 'c', key_path: 'k' }] }] }),
    ).toBeNull();
    expect(parseConfigFast({ server: [{ port: 70_000 }] })).toBeNull();
  });
});
