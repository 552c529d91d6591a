import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Endpoint, type MatchResult, Router } from '../src/index.js';
import { endpoint } from './support/endpoint.js';

/**
 * Routes without placeholders have two shortcuts (router.ts, method-table.ts): a binding
 * compares a path whole with the routes of its length (at most eight of a length, more are left
 * to the tree), and a path that reaches such a route is not searched for `%`. This property
 * holds `Router.match` against a reference router with the same routes where the first shortcut
 * cannot apply: for every path length that has a route without placeholders, it also gets nine
 * decoys of that length (in the same method and binding), so the tree alone answers. The
 * decoys start with a character that no probe holds, so they match nothing probed. The second
 * shortcut is held against the reference asked with the probe in canonical form, made by a
 * percent-decoder written here. (`/` is the one path of its length, so it cannot be crowded
 * out: both routers answer it by comparison; the literal test covers it.)
 */

/** Binding prefixes of selectors: global, ip, port, domain, all three. */
const BINDINGS = ['::', '127.0.0.1::', ':8000::', ':::example.com:', '127.0.0.1:8000::example.com:'];
const ENDPOINTS: readonly Endpoint[] = [
  endpoint('127.0.0.1', 8000, 'example.com'),
  endpoint('::ffff:127.0.0.1', 8000, 'example.com'),
  endpoint('127.0.0.1', 9000, 'other.org'),
  endpoint('10.0.0.1', 8000, ''),
  endpoint('10.0.0.2', 9000, 'example.com'),
];
const ROUTE_METHODS = ['GET', 'GET', 'POST', 'HEAD', 'PURGE'];
const PROBE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PURGE'];

/**
 * Pieces of static text: how a template writes it (raw, or escaped in any case), then how a
 * request may spell it: spellings with the same canonical form, and for `é` also the raw
 * character, which is no spelling of `%C3%A9` (a request target is ASCII) and must find no route
 * written either way.
 */
const PIECES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['a', ['a', '%61']],
  ['b', ['b', '%62']],
  ['A', ['A', '%41']],
  ['%41', ['A', '%41']],
  ['ab', ['ab', 'a%62']],
  ['-', ['-', '%2D', '%2d']],
  ['.', ['.', '%2E']],
  ['_', ['_', '%5F']],
  ['~', ['~', '%7E', '%7e']],
  ['%7e', ['~', '%7e']],
  ['7', ['7', '%37']],
  ['12', ['12']],
  ['true', ['true', 'TRUE']],
  ['1.5', ['1.5']],
  ['%2f', ['%2F', '%2f']],
  ['%25', ['%25']],
  ['%20', ['%20']],
  ['\u00e9', ['%C3%A9', '%c3%a9', '\u00e9']],
  ['%c3%a9', ['%C3%A9', '\u00e9']],
];
/** One-character pieces: swapping one for another keeps a path's length. */
const SHORT = [0, 1, 2, 5, 6, 7, 8, 10];
/** Characters a mutation may put into a probe (none of the decoys' first characters). */
const PROBE_CHARS = [
  'a',
  'b',
  'A',
  'B',
  '-',
  '.',
  '_',
  '~',
  '7',
  '/',
  '%',
  '%41',
  '%2F',
  '%2f',
  '%G1',
  '\u00e9',
];
/** The decoys' first characters (sub-delims): never in a probe, even percent-decoded. */
const DECOY_CHARS = ['!', '$', '&', "'", '(', ')', '+', ',', ';'];

/** Dynamic segments: the template for segment `k`, and a request value from two sampled texts. */
const FORMS: ReadonlyArray<{
  readonly template: (k: number) => string;
  readonly fill: (v: string, w: string) => string;
}> = [
  { template: (k) => `{p${k}}`, fill: (v) => v },
  { template: (k) => `{p${k}:int}`, fill: (v) => v },
  { template: (k) => `{p${k}:float}`, fill: (v) => v },
  { template: (k) => `{p${k}:bool}`, fill: (v) => v },
  { template: (k) => `a{p${k}}`, fill: (v) => `a${v}` },
  { template: (k) => `A{p${k}:int}`, fill: (v) => `A${v}` },
  { template: (k) => `{p${k}:int}.json`, fill: (v) => `${v}.json` },
  { template: (k) => `{p${k}}-{q${k}}`, fill: (v, w) => `${v}-${w}` },
];

type SegmentSpec =
  | { readonly kind: 'static'; readonly pieces: readonly number[] }
  | { readonly kind: 'dynamic'; readonly form: number };

interface RouteSpec {
  readonly method: string;
  readonly binding: number;
  readonly segments: readonly SegmentSpec[];
  /** After the segments: nothing, a trailing slash, `{r:path}` or `*`. */
  readonly end: 'none' | 'slash' | 'rest' | 'star';
  /** Built from the route before it: the same segments and one more, or one piece swapped. */
  readonly variant: 'fresh' | 'extend' | 'swap';
}

const staticSegment = fc
  .array(fc.nat(PIECES.length - 1), { minLength: 1, maxLength: 3 })
  .map((pieces): SegmentSpec => ({ kind: 'static', pieces }));
const dynamicSegment = fc.nat(FORMS.length - 1).map((form): SegmentSpec => ({ kind: 'dynamic', form }));
const routeSpec: fc.Arbitrary<RouteSpec> = fc.record({
  method: fc.constantFrom(...ROUTE_METHODS),
  binding: fc.oneof(fc.constant(0), fc.nat(BINDINGS.length - 1)),
  segments: fc.array(
    fc.oneof({ weight: 3, arbitrary: staticSegment }, { weight: 1, arbitrary: dynamicSegment }),
    { maxLength: 3 },
  ),
  end: fc.constantFrom<RouteSpec['end']>('none', 'none', 'slash', 'rest', 'star'),
  variant: fc.constantFrom<RouteSpec['variant']>('fresh', 'fresh', 'extend', 'swap'),
});

const MUTATIONS = [
  'as-is',
  'as-is',
  'as-is',
  'encode',
  'encode',
  'hex-case',
  'decoded',
  'slash',
  'change',
  'prefix',
  'append',
  'dot-segment',
  'bad-percent',
  'random',
] as const;
const probeSpec = fc.record({
  route: fc.nat(),
  /** Choices for spellings and captured values. */
  picks: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
  mutation: fc.constantFrom(...MUTATIONS),
  at: fc.nat(),
  char: fc.nat(PROBE_CHARS.length - 1),
  /** `null`: the route's own method. */
  method: fc.option(fc.constantFrom(...PROBE_METHODS), { freq: 2 }),
  /** The first endpoint is in every binding. */
  endpoint: fc.oneof(fc.constant(0), fc.nat(ENDPOINTS.length - 1)),
});
type ProbeSpec = typeof probeSpec extends fc.Arbitrary<infer P> ? P : never;

/** Gives the `extend` and `swap` variants their segments, from the route before. */
function resolve(specs: readonly RouteSpec[]): RouteSpec[] {
  const out: RouteSpec[] = [];
  for (const spec of specs) {
    const before = out[out.length - 1];
    if (before === undefined || spec.variant === 'fresh') {
      out.push(spec);
    } else if (spec.variant === 'extend') {
      out.push({ ...spec, segments: [...before.segments, ...spec.segments.slice(0, 1)] });
    } else {
      const segments = before.segments.map((segment, k) => {
        if (k !== before.segments.length - 1 || segment.kind !== 'static') return segment;
        const last = segment.pieces[segment.pieces.length - 1] as number;
        const swapped = SHORT[(SHORT.indexOf(last) + 1 + spec.binding) % SHORT.length] as number;
        return { kind: 'static' as const, pieces: [...segment.pieces.slice(0, -1), swapped] };
      });
      out.push({ ...spec, end: before.end, segments });
    }
  }
  return out;
}

function templateOf(spec: RouteSpec): string {
  const segments = spec.segments.map((segment, k) =>
    segment.kind === 'static'
      ? segment.pieces.map((p) => (PIECES[p] as (typeof PIECES)[number])[0]).join('')
      : (FORMS[segment.form] as (typeof FORMS)[number]).template(k),
  );
  const tail =
    spec.end === 'slash' ? [''] : spec.end === 'rest' ? ['{r:path}'] : spec.end === 'star' ? ['*'] : [];
  const all = [...segments, ...tail];
  return all.length === 0 ? '/' : `/${all.join('/')}`;
}

/** A request path that the route matches (when the sampled values fit its types). */
function requestFor(spec: RouteSpec, picks: readonly number[]): string {
  let n = 0;
  const next = () => (picks[n++ % picks.length] as number) + n;
  const spell = (piece: number) => {
    const spellings = (PIECES[piece] as (typeof PIECES)[number])[1];
    return spellings[next() % spellings.length] as string;
  };
  const sample = () => spell(next() % PIECES.length);
  const segments = spec.segments.map((segment) =>
    segment.kind === 'static'
      ? segment.pieces.map(spell).join('')
      : (FORMS[segment.form] as (typeof FORMS)[number]).fill(sample(), sample()),
  );
  const tail =
    spec.end === 'slash'
      ? ['']
      : spec.end === 'none'
        ? []
        : next() % 2 === 0
          ? [sample()]
          : [sample(), sample()];
  const all = [...segments, ...tail];
  return all.length === 0 ? '/' : `/${all.join('/')}`;
}

function probeFor(specs: readonly RouteSpec[], probe: ProbeSpec): string {
  const spec = specs[probe.route % specs.length] as RouteSpec;
  const path = requestFor(spec, probe.picks);
  const at = 1 + (probe.at % path.length);
  const char = PROBE_CHARS[probe.char] as string;
  switch (probe.mutation) {
    case 'as-is':
      return path;
    case 'encode': {
      // Percent-encodes one unreserved character, in upper- or lower-case hex.
      const c = path.charCodeAt(at);
      if (!/[A-Za-z0-9\-._~]/.test(path[at] ?? '/')) return path;
      const hex = c.toString(16);
      return `${path.slice(0, at)}%${probe.at % 2 === 0 ? hex.toUpperCase() : hex}${path.slice(at + 1)}`;
    }
    case 'hex-case':
      return path.replace(/%[0-9A-Fa-f]{2}/g, (e) =>
        probe.at % 2 === 0 ? e.toLowerCase() : e.toUpperCase(),
      );
    case 'decoded':
      // Escapes written as the characters they stand for (`é`, `/`, ` `, `%`): not the same path.
      return path.replace(/(%[0-9A-Fa-f]{2})+/g, (escapes) => {
        try {
          return decodeURIComponent(escapes);
        } catch {
          return escapes;
        }
      });
    case 'slash':
      return path.endsWith('/') && path.length > 1 ? path.slice(0, -1) : `${path}/`;
    case 'change':
      return `${path.slice(0, at)}${char}${path.slice(at + 1)}`;
    case 'prefix':
      return path.slice(0, at);
    case 'append':
      return `${path}${path.endsWith('/') ? '' : '/'}${char}`;
    case 'dot-segment':
      return probe.at % 2 === 0 ? `/.${path}` : `${path}${path.endsWith('/') ? '' : '/'}..`;
    case 'bad-percent':
      return `${path.slice(0, at)}${probe.at % 2 === 0 ? '%' : '%4'}${path.slice(at)}`;
    case 'random': {
      let out = '';
      for (const pick of probe.picks.slice(0, 1 + (probe.at % 6)))
        out += PROBE_CHARS[pick % PROBE_CHARS.length] as string;
      return `/${out}`;
    }
  }
}

/** Canonical form (RFC 3986 §6.2.2): unreserved escapes decoded, others upper-case; `null` if malformed. */
function canonicalize(path: string): string | null {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (c !== '%') {
      out += c;
      continue;
    }
    const hex = path.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
    const decoded = String.fromCharCode(Number.parseInt(hex, 16));
    out += /[A-Za-z0-9\-._~]/.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
    i += 2;
  }
  return out;
}

/** What two answers must share: the route (or none), its params (with `-0`), the `Allow` value. */
function view(result: MatchResult<number>): unknown {
  if (result.kind === 'found')
    return {
      kind: 'found',
      value: result.value,
      selector: result.route.selector,
      params: Object.entries(result.params).map(([name, value]) => [
        name,
        typeof value,
        String(value),
        Object.is(value, -0),
      ]),
    };
  return result;
}

/** The same routes twice: as registered, and with decoys that leave every length but 1 to the tree. */
function build(specs: readonly RouteSpec[]): { router: Router<number>; reference: Router<number> } {
  const router = new Router<number>();
  const reference = new Router<number>();
  const staticLengths = new Set<string>();
  specs.forEach((spec, index) => {
    const selector = `${BINDINGS[spec.binding]}${templateOf(spec)}`;
    let error: unknown = null;
    try {
      router.add(spec.method, selector, index);
    } catch (caught) {
      error = caught;
    }
    if (error !== null) {
      expect(() => reference.add(spec.method, selector, index)).toThrow((error as Error).message);
      return;
    }
    reference.add(spec.method, selector, index);
    const route = reference.listRoutes().at(-1);
    if (route !== undefined && route.placeholders.length === 0 && route.path.length > 1)
      staticLengths.add(`${spec.method} ${spec.binding} ${route.path.length}`);
  });
  for (const key of staticLengths) {
    const [method, binding, length] = key.split(' ') as [string, string, string];
    for (const first of DECOY_CHARS)
      reference.add(method, `${BINDINGS[Number(binding)]}/${first}${'='.repeat(Number(length) - 2)}`, -1);
  }
  return { router, reference };
}

/**
 * Some route sets also get ten global GET routes of length 3 (`/ab`, `/bb`... `/aA`, `/bA`),
 * past the eight compared whole, so the router under test leaves that length to the tree too.
 */
const CROWD: RouteSpec[] = Array.from({ length: 10 }, (_, k) => ({
  method: 'GET',
  binding: 0,
  segments: [{ kind: 'static', pieces: [SHORT[k % 8] as number, SHORT[1 + (k >> 3)] as number] }],
  end: 'none',
  variant: 'fresh',
}));

describe('the static-route shortcut gives the tree’s answer', () => {
  it('for random routes and probes: same route, params, 404 or 405 with the same Allow', () => {
    fc.assert(
      fc.property(
        fc.array(routeSpec, { minLength: 1, maxLength: 14 }),
        fc.boolean(),
        fc.array(probeSpec, { minLength: 1, maxLength: 40, size: 'medium' }),
        (generated, crowded, probes) => {
          const specs = resolve(crowded ? [...generated, ...CROWD] : generated);
          const { router, reference } = build(specs);
          for (const probe of probes) {
            const path = probeFor(specs, probe);
            const ep = ENDPOINTS[probe.endpoint] as Endpoint;
            const method = probe.method ?? (specs[probe.route % specs.length] as RouteSpec).method;
            const got = router.match(method, path, ep);
            const context = `${method} ${path}`;
            expect(view(got), context).toEqual(view(reference.match(method, path, ep)));
            const canonical = canonicalize(path);
            expect(view(got), `${context} as ${canonical}`).toEqual(
              canonical === null ? { kind: 'not-found' } : view(reference.match(method, canonical, ep)),
            );
            // Independent of both routers: a route without placeholders answers only its own path.
            if (got.kind === 'found' && got.route.placeholders.length === 0)
              expect(canonical, context).toBe(got.route.path);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
