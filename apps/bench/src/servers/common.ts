/**
 * What every server of the suite answers, byte for byte the same where the protocol allows, so
 * only the servers differ. Each server is its own entry module (`dist/servers/NAME.js`) that
 * imports only what it needs, so cold start and memory are each server's own.
 *
 *   BENCH_PORT  the port to listen on (127.0.0.1)
 *   BENCH_DIR   the directory holding `file.bin`, the ranged-read file
 *
 * Nothing here imports a package: the zod schema of the orders is `order-schema.ts`, imported
 * only by the servers that validate with zod, so the others' cold start does not load zod.
 */
import type { Order } from './order-schema.js';

export const HELLO = 'Hello from bbwebservice!';
export const FILE_NAME = 'file.bin';
/** CPU time of the CPU route: about 2 ms, spent in a loop that reads the clock. */
export const SPIN_MS = 2;

export function benchPort(): number {
  const port = Number(process.env.BENCH_PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('BENCH_PORT must name the port');
  return port;
}

export function benchDir(): string {
  return process.env.BENCH_DIR ?? process.cwd();
}

/** The CPU route's work, the same loop for every server and in workers. */
export function spin(ms: number = SPIN_MS): string {
  const until = performance.now() + ms;
  let turns = 0;
  while (performance.now() < until) turns++;
  return turns > 0 ? 'spun' : 'idle';
}

/** `GET /users/:id`: the JSON every server builds from the path parameter. */
export function userOf(id: string): { id: string; name: string; active: boolean; roles: string[] } {
  return { id, name: `user ${id}`, active: true, roles: ['reader', 'writer'] };
}

/** What every server answers to a valid order. */
export function receipt(order: { items: ReadonlyArray<{ qty: number; price: number }> }): {
  ok: true;
  items: number;
  total: number;
} {
  let total = 0;
  for (const item of order.items) total += item.qty * item.price;
  return { ok: true, items: order.items.length, total: Math.round(total * 100) / 100 };
}

/** The same schema for Fastify (JSON Schema, compiled by ajv). */
export const ORDER_JSON_SCHEMA = {
  type: 'object',
  required: ['customer', 'items', 'note'],
  additionalProperties: false,
  properties: {
    customer: {
      type: 'object',
      required: ['name', 'email'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 100 },
        email: { type: 'string', format: 'email' },
      },
    },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: {
        type: 'object',
        required: ['sku', 'qty', 'price'],
        additionalProperties: false,
        properties: {
          sku: { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' },
          qty: { type: 'integer', minimum: 1, maximum: 1000 },
          price: { type: 'number', minimum: 0 },
        },
      },
    },
    note: { type: 'string', maxLength: 2000 },
  },
} as const;

/** The body wrk posts: 1 KiB of JSON (checked by the suite before it is used). */
export function sampleOrder(): Order {
  const items = [];
  for (let i = 0; i < 12; i++) items.push({ sku: `ABC-${1000 + i}`, qty: 1 + (i % 5), price: 9.99 + i });
  return {
    customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
    items,
    note: 'Leave the parcel at the back door, please. '.repeat(6).trim(),
  };
}

/** One SSE event as every server writes it (`data:` line, blank line). */
export const EVENT_DATA = JSON.stringify({ type: 'tick', text: 'x'.repeat(64) });
