import Fastify from 'fastify';
import { HELLO } from './hello-body.js';

/** Fastify 5 with default options and one route. */
export async function startFastify(port: number): Promise<void> {
  const app = Fastify({ logger: false });
  app.get('/hello', async (_request, reply) => {
    reply.type('text/plain; charset=utf-8');
    return HELLO;
  });
  await app.listen({ host: '127.0.0.1', port });
}
