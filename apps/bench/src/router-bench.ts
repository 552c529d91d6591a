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
 * Options: `--rounds N` (default 15), `--passes N` request-list passes per round (default 200).
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

type Lookup = (method: string, path: string) => boolean;

function buildOurs(routes: readonly RouteSpec[]): Lookup {
  const router = new Router<number>();
  routes.forEach((r, k) => {
    router.add(r.method, r.ours, k);
  });
  return (method, path) => router.match(method, path, ENDPOINT).kind === 'found';
}

function buildTheirs(routes: readonly RouteSpec[]): Lookup {
  const router = FindMyWay();
  routes.forEach((r, k) => {
    router.on(r.method as FindMyWay.HTTPMethod, r.theirs, () => k);
  });
  return (method, path) => router.find(method as FindMyWay.HTTPMethod, path) !== null;
}

/**
 * Fresh copies of every path for `passes` passes: a request's path is a new string in a server
 * (decoded from the socket's bytes), so no lookup may reuse a string whose hash V8 has cached.
 */
function freshCopies(requests: Workload['requests'], passes: number): string[][] {
  const copies: string[][] = [];
  for (let p = 0; p < passes; p++) {
    copies.push(requests.map(([, path]) => Buffer.from(path, 'latin1').toString('latin1')));
  }
  return copies;
}

/** Runs `passes` passes over the request list and returns ns per lookup. */
function time(lookup: Lookup, requests: Workload['requests'], passes: number): number {
  const copies = freshCopies(requests, passes);
  let found = 0;
  const start = process.hrtime.bigint();
  for (let p = 0; p < passes; p++) {
    const paths = copies[p] as string[];
    for (let k = 0; k < requests.length; k++) {
      if (lookup((requests[k] as readonly [string, string])[0], paths[k] as string)) found++;
    }
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  if (found !== passes * requests.length)
    throw new Error(`only ${found} of ${passes * requests.length} lookups matched`);
  return elapsed / (passes * requests.length);
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
  const passes = option('--passes', 200);
  const untyped = routeSet(false);
  const typed = routeSet(true);
  const workloads: Array<Workload & { readonly ours: Lookup; readonly theirs: Lookup }> = [];
  const add = (name: string, routes: RouteSpec[], requests: Array<[string, string]>) =>
    workloads.push({ name, routes, requests, ours: buildOurs(routes), theirs: buildTheirs(routes) });
  add('static', untyped, staticRequests(1000));
  add('param', untyped, paramRequests(1000));
  add('param, int-typed', typed, paramRequests(1000));

  console.log(
    `router lookup: ${untyped.length} routes, 1,000 requests per list, ${rounds} rounds x ${passes} passes`,
  );
  console.log(
    `node ${process.version}; median ns per lookup; ratio = ours / find-my-way (< 1: ours faster)\n`,
  );
  // Warm both routers on every list before measuring, so neither is timed while compiling.
  for (const w of workloads) {
    time(w.ours, w.requests, 50);
    time(w.theirs, w.requests, 50);
  }
  const rows: string[][] = [['lookups', '@bbws/router', 'find-my-way', 'ratio']];
  for (const w of workloads) {
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate which router goes first so drift on a shared machine hits both alike.
      if (round % 2 === 0) {
        ours.push(time(w.ours, w.requests, passes));
        theirs.push(time(w.theirs, w.requests, passes));
      } else {
        theirs.push(time(w.theirs, w.requests, passes));
        ours.push(time(w.ours, w.requests, passes));
      }
    }
    const a = median(ours);
    const b = median(theirs);
    rows.push([w.name, `${a.toFixed(1)} ns`, `${b.toFixed(1)} ns`, (a / b).toFixed(2)]);
  }
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] as number)).join('  '));
}

main();
