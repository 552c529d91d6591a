/** Hono 4 on @hono/node-server 2: hono/validator with zod, serveStatic, streamSSE. */
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { validator } from 'hono/validator';
import { benchDir, benchPort, EVENT_DATA, HELLO, receipt, userOf } from './common.js';
import { OrderSchema } from './order-schema.js';

const subscribers = new Set<SSEStreamingApi>();
const app = new Hono();

app.get('/hello', (c) => c.text(HELLO));
app.get('/users/:id', (c) => c.json(userOf(c.req.param('id'))));
app.post(
  '/orders',
  validator('json', (value, c) => {
    const result = OrderSchema.safeParse(value);
    return result.success ? result.data : c.json({ issues: result.error.issues }, 400);
  }),
  (c) => c.json(receipt(c.req.valid('json'))),
);
app.get('/events', (c) =>
  streamSSE(c, async (stream) => {
    subscribers.add(stream);
    await new Promise<void>((resolve) => stream.onAbort(resolve));
    subscribers.delete(stream);
  }),
);
app.get('/broadcast', (c) => {
  for (const subscriber of subscribers) void subscriber.writeSSE({ data: EVENT_DATA });
  return c.text(String(subscribers.size));
});
app.use('/file.bin', serveStatic({ root: benchDir() }));

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: benchPort() });
(server as unknown as { keepAliveTimeout: number }).keepAliveTimeout = 120_000;
