/**
 * Router lookup benchmark: @bbws/router against find-my-way (Fastify's router) on the same
 * 1,000 routes and the same request lists. Prints ns per lookup for static and parametric
 * lookups separately, and the ratio ours / find-my-way (below 1 means we are faster).
 *
 *   pnpm bench:router
 *   (= tsc -b packages/router apps/bench && node apps/bench/dist/router-bench.js)
 *
 * Run it pinned and serialized on a shared machine:
 *   flock /tmp/bbws-bench.lock taskset -c 0 node apps/bench/dist/router-bench.js
 *
 * Options: `--rounds N` (default 15), `--passes N` request-list passes per router and round (default 50).
 */
import { type Endpoint, Router } from '@bbws/router';
import FindMyWay from 'find-my-way';

interface RouteSpec {
  readonly method: string;
  /** Our template. */
  readonly ours: string;
  /** The same route in find-my-way syntax. */
  readonly theirs: string;
}

interface Workload {
  readonly name: string;
  readonly routes: readonly RouteSpec[];
  readonly requests: ReadonlyArray<readonly [method: string, path: string]>;
}

const WORDS = [
  'users',
  'orders',
  'products',
  'invoices',
  'customers',
  'carts',
  'reviews',
  'payments',
  'shipments',
  'coupons',
  'tickets',
  'events',
  'venues',
  'artists',
  'albums',
  'tracks',
  'playlists',
  'articles',
  'comments',
  'tags',
];
const RESOURCES = 100;

/** A small deterministic PRNG (mulberry32), so every run uses the same request list. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function resourceName(i: number): string {
  return `${WORDS[i % WORDS.length]}${Math.floor(i / WORDS.length)}`;
}

/**
 * 1,000 routes: per resource five static routes and five with parameters.
 * `typed` writes the id parameters as `{id:int}` (ours) and `:id(^\d+$)` (find-my-way).
 */
function routeSet(typed: boolean): RouteSpec[] {
  const id = (name: string) =>
    typed ? { ours: `{${name}:int}`, theirs: `:${name}(^\\d+$)` } : { ours: `{${name}}`, theirs: `:${name}` };
  const routes: RouteSpec[] = [];
  const both = (method: string, path: string) => routes.push({ method, ours: path, theirs: path });
  for (let i = 0; i < RESOURCES; i++) {
    const r = resourceName(i);
    both('GET', `/api/v1/${r}`);
    both('POST', `/api/v1/${r}`);
    both('GET', `/api/v1/${r}/search`);
    both('GET', `/${r}/about/team`);
    both('GET', `/static/${r}/index.html`);
    const a = id('id');
    const b = id('itemId');
    for (const method of ['GET', 'PUT', 'DELETE']) {
      routes.push({ method, ours: `/api/v1/${r}/${a.ours}`, theirs: `/api/v1/${r}/${a.theirs}` });
    }
    routes.push({
      method: 'GET',
      ours: `/api/v1/${r}/${a.ours}/items/${b.ours}`,
      theirs: `/api/v1/${r}/${a.theirs}/items/${b.theirs}`,
    });
    routes.push({ method: 'GET', ours: `/u/${r}/{name}/posts`, theirs: `/u/${r}/:name/posts` });
  }
  return routes;
}

function staticRequests(count: number): Array<[string, string]> {
  const next = random(1);
  const out: Array<[string, string]> = [];
  for (let k = 0; k < count; k++) {
    const r = resourceName(Math.floor(next() * RESOURCES));
    const pick = Math.floor(next() * 5);
    if (pick === 0) out.push(['GET', `/api/v1/${r}`]);
    else if (pick === 1) out.push(['POST', `/api/v1/${r}`]);
    else if (pick === 2) out.push(['GET', `/api/v1/${r}/search`]);
    else if (pick === 3) out.push(['GET', `/${r}/about/team`]);
    else out.push(['GET', `/static/${r}/index.html`]);
  }
  return out;
}

function paramRequests(count: number): Array<[string, string]> {
  const next = random(2);
  const out: Array<[string, string]> = [];
  for (let k = 0; k < count; k++) {
    const r = resourceName(Math.floor(next() * RESOURCES));
    const id = Math.floor(next() * 100_000);
    const pick = Math.floor(next() * 5);
    if (pick === 0) out.push(['GET', `/api/v1/${r}/${id}`]);
    else if (pick === 1) out.push(['PUT', `/api/v1/${r}/${id}`]);
    else if (pick === 2) out.push(['DELETE', `/api/v1/${r}/${id}`]);
    else if (pick === 3) out.push(['GET', `/api/v1/${r}/${id}/items/${id % 977}`]);
    else out.push(['GET', `/u/${r}/user${id}/posts`]);
  }
  return out;
}

const ENDPOINT: Endpoint = { ip: '127.0.0.1', port: 8000, domain: 'localhost', isTls: false };

/** One lookup: `true` when a route was found. */
type Lookup = (method: string, path: string) => boolean;
/** Which route (index in the route set) a request finds, or null. */
type Which = (method: string, path: string) => number | null;

function buildOurs(routes: readonly RouteSpec[]): { lookup: Lookup; which: Which } {
  const router = new Router<number>();
  routes.forEach((r, k) => {
    router.add(r.method, r.ours, k);
  });
  return {
    lookup: (method, path) => router.match(method, path, ENDPOINT).kind === 'found',
    which: (method, path) => {
      const result = router.match(method, path, ENDPOINT);
      return result.kind === 'found' ? result.value : null;
    },
  };
}

function buildTheirs(routes: readonly RouteSpec[]): { lookup: Lookup; which: Which } {
  const router = FindMyWay();
  routes.forEach((r, k) => {
    router.on(r.method as FindMyWay.HTTPMethod, r.theirs, () => k);
  });
  return {
    lookup: (method, path) => router.find(method as FindMyWay.HTTPMethod, path) !== null,
    which: (method, path) => {
      const found = router.find(method as FindMyWay.HTTPMethod, path);
      return found === null ? null : (found.handler as unknown as () => number)();
    },
  };
}

/** Both routers must find the same route for every request, or the comparison means nothing. */
function checkAgreement(w: BenchWorkload): void {
  for (const [method, path] of w.requests) {
    const ours = w.whichOurs(method, path);
    const theirs = w.whichTheirs(method, path);
    if (ours === null || ours !== theirs) {
      throw new Error(`${w.name}: ${method} ${path} finds route ${ours} here and ${theirs} in find-my-way`);
    }
  }
}

interface BenchWorkload extends Workload {
  readonly ours: Lookup;
  readonly theirs: Lookup;
  readonly whichOurs: Which;
  readonly whichTheirs: Which;
}

/**
 * Fresh copies of every path: a request's path is a new string in a server (decoded from the
 * socket's bytes), so no lookup may reuse a string whose hash V8 has already cached.
 */
function freshCopies(requests: Workload['requests']): string[] {
  return requests.map(([, path]) => Buffer.from(path, 'latin1').toString('latin1'));
}

/** Times one pass over the request list; returns nanoseconds. */
function timePass(lookup: Lookup, requests: Workload['requests'], paths: readonly string[]): number {
  let found = 0;
  const start = process.hrtime.bigint();
  for (let k = 0; k < requests.length; k++) {
    if (lookup((requests[k] as readonly [string, string])[0], paths[k] as string)) found++;
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  if (found !== requests.length) throw new Error(`only ${found} of ${requests.length} lookups matched`);
  return elapsed;
}

/**
 * One round: `passes` passes per router, interleaved pass by pass (alternating which goes
 * first), so load from other processes on a shared machine falls on both alike. Each pass gets
 * fresh copies made outside the timed loop; only a pass's copies are alive while it runs, as in
 * a server. Returns ns per lookup for each router.
 */
function round(w: BenchWorkload, passes: number): { ours: number; theirs: number } {
  let ours = 0;
  let theirs = 0;
  for (let p = 0; p < passes; p++) {
    const forOurs = freshCopies(w.requests);
    const forTheirs = freshCopies(w.requests);
    if (p % 2 === 0) {
      ours += timePass(w.ours, w.requests, forOurs);
      theirs += timePass(w.theirs, w.requests, forTheirs);
    } else {
      theirs += timePass(w.theirs, w.requests, forTheirs);
      ours += timePass(w.ours, w.requests, forOurs);
    }
  }
  const lookups = passes * w.requests.length;
  return { ours: ours / lookups, theirs: theirs / lookups };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

function main(): void {
  const rounds = option('--rounds', 15);
  const passes = option('--passes', 50);
  const untyped = routeSet(false);
  const typed = routeSet(true);
  const workloads: BenchWorkload[] = [];
  const add = (name: string, routes: RouteSpec[], requests: Array<[string, string]>) => {
    const ours = buildOurs(routes);
    const theirs = buildTheirs(routes);
    workloads.push({
      name,
      routes,
      requests,
      ours: ours.lookup,
      theirs: theirs.lookup,
      whichOurs: ours.which,
      whichTheirs: theirs.which,
    });
  };
  add('static', untyped, staticRequests(1000));
  add('param', untyped, paramRequests(1000));
  add('param, int-typed', typed, paramRequests(1000));

  console.log(
    `router lookup: ${untyped.length} routes, 1,000 requests per list, ${rounds} rounds x ${passes} passes`,
  );
  console.log(
    `node ${process.version}; medians over rounds of ns per lookup and of the ratio ours / find-my-way (< 1: ours faster)\n`,
  );
  for (const w of workloads) checkAgreement(w);
  // Warm both routers on every list before measuring, so neither is timed while compiling.
  for (const w of workloads) round(w, 50);
  const rows: string[][] = [['lookups', '@bbws/router', 'find-my-way', 'ratio']];
  for (const w of workloads) {
    const ours: number[] = [];
    const theirs: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const result = round(w, passes);
      ours.push(result.ours);
      theirs.push(result.theirs);
      ratios.push(result.ours / result.theirs);
    }
    rows.push([
      w.name,
      `${median(ours).toFixed(1)} ns`,
      `${median(theirs).toFixed(1)} ns`,
      median(ratios).toFixed(2),
    ]);
  }
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] as number)).join('  '));
}

main();
