// Hono 4 on @hono/node-server: the hello world from Hono's getting-started page, with the port
// from PORT so the measuring script can pick a free one.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/hello', (c) => c.text('Hello from Hono!'));
serve({ fetch: app.fetch, port: Number(process.env.PORT) });
