/** Fastify 5: default options, JSON Schema validation (ajv), @fastify/static, SSE by hijack. */

import type { ServerResponse } from 'node:http';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import {
  benchDir,
  benchPort,
  EVENT_DATA,
  HELLO,
  ORDER_JSON_SCHEMA,
  receipt,
  spin,
  userOf,
} from './common.js';

const EVENT = `data: ${EVENT_DATA}\n\n`;
const subscribers = new Set<ServerResponse>();

const app = Fastify({ logger: false, keepAliveTimeout: 120_000 });
await app.register(fastifyStatic, { root: benchDir(), prefix: '/', serve: true });

app.get('/hello', async (_request, reply) => {
  reply.type('text/plain; charset=utf-8');
  return HELLO;
});

app.get<{ Params: { id: string } }>('/users/:id', async (request) => userOf(request.params.id));

app.post<{ Body: { items: Array<{ qty: number; price: number }> } }>(
  '/orders',
  { schema: { body: ORDER_JSON_SCHEMA } },
  async (request) => receipt(request.body),
);

app.get('/events', (request, reply) => {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  raw.flushHeaders();
  subscribers.add(raw);
  request.raw.once('close', () => subscribers.delete(raw));
});

app.get('/broadcast', async (_request, reply) => {
  for (const subscriber of subscribers) subscriber.write(EVENT);
  reply.type('text/plain; charset=utf-8');
  return String(subscribers.size);
});

app.get('/spin', async (_request, reply) => {
  reply.type('text/plain; charset=utf-8');
  return spin();
});

await app.listen({ host: '127.0.0.1', port: benchPort() });
