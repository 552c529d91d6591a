/**
 * In-memory requests: 10,000 sequential `GET /hello` through `TestClient` (the real connection
 * code over an in-memory duplex) against Fastify's `inject()` (light-my-request) on the same
 * trivial route, in one process.
 *
 *   pnpm build && flock /tmp/bbws-bench.lock taskset -c 0 node apps/bench/dist/inject-bench.js
 *
 * Both sides warm up first; then rounds alternate between the contenders (so drift on a
 * shared machine hits both alike) and each side's median round is reported. Every response is
 * checked, so a fast wrong answer cannot win.
 */

import { Controller, createApp, Get, MIME_TYPE } from 'bbwebservice';
import { TestClient } from 'bbwebservice/testing';
import Fastify from 'fastify';

const GREETING = 'Hello from bbwebservice!';
const REQUESTS = 10_000;
const ROUNDS = 7;

@Controller()
class HelloController {
  @Get('::/hello', { type: MIME_TYPE.TEXT })
  hello(): string {
    return GREETING;
  }
}

type Contender = { readonly name: string; readonly once: () => Promise<void> };

function check(status: number, body: string, who: string): void {
  if (status !== 200 || body !== GREETING)
    throw new Error(`${who} answered ${status} ${JSON.stringify(body)}`);
}

async function contenders(): Promise<Contender[]> {
  const app = createApp({ controllers: [HelloController], config: { server: [] } });
  const fresh = TestClient.fromApp(app);
  const kept = TestClient.fromApp(app, { keepAlive: true });
  const fastify = Fastify({ logger: false });
  fastify.get('/hello', async (_request, reply) => {
    reply.type('text/plain; charset=utf-8');
    return GREETING;
  });
  await fastify.ready();
  return [
    {
      name: 'fastify inject()',
      once: async () => {
        const res = await fastify.inject({ method: 'GET', url: '/hello' });
        check(res.statusCode, res.body, 'fastify');
      },
    },
    {
      name: 'TestClient (new connection per request)',
      once: async () => {
        const res = await fresh.get('/hello');
        check(res.status, res.text(), 'TestClient');
      },
    },
    {
      name: 'TestClient keepAlive',
      once: async () => {
        const res = await kept.get('/hello');
        check(res.status, res.text(), 'TestClient keepAlive');
      },
    },
  ];
}

async function round(contender: Contender): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) await contender.once();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const list = await contenders();
for (const c of list) await round(c); // warm-up: JIT, caches
const times = new Map<string, number[]>(list.map((c) => [c.name, []]));
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? list : [...list].reverse();
  for (const c of order) times.get(c.name)?.push(await round(c));
}

const baseline = median(times.get('fastify inject()') ?? []);
console.log(`${REQUESTS} sequential GET /hello, median of ${ROUNDS} rounds (node ${process.version})`);
console.log('| contender | ms per 10,000 | µs per request | speed vs inject() |');
console.log('|---|---|---|---|');
for (const c of list) {
  const ms = median(times.get(c.name) ?? []);
  console.log(
    `| ${c.name} | ${ms.toFixed(0)} | ${((ms * 1000) / REQUESTS).toFixed(1)} | ${(baseline / ms).toFixed(2)}x |`,
  );
}
