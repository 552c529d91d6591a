/** Express 5: express.json(), zod for the body (Express has no validator of its own), express.static. */
import express from 'express';
import { benchDir, benchPort, EVENT_DATA, HELLO, receipt, userOf } from './common.js';
import { OrderSchema } from './order-schema.js';

const EVENT = `data: ${EVENT_DATA}\n\n`;
const subscribers = new Set<express.Response>();

const app = express();
app.get('/hello', (_request, response) => {
  response.type('text/plain; charset=utf-8').send(HELLO);
});
app.get('/users/:id', (request, response) => {
  response.json(userOf(request.params.id));
});
app.post('/orders', express.json(), (request, response) => {
  const result = OrderSchema.safeParse(request.body);
  if (result.success) response.json(receipt(result.data));
  else response.status(400).json({ issues: result.error.issues });
});
app.get('/events', (request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  response.flushHeaders();
  subscribers.add(response);
  request.once('close', () => subscribers.delete(response));
});
app.get('/broadcast', (_request, response) => {
  for (const subscriber of subscribers) subscriber.write(EVENT);
  response.type('text/plain; charset=utf-8').send(String(subscribers.size));
});
app.use(express.static(benchDir()));

const server = app.listen(benchPort(), '127.0.0.1');
server.keepAliveTimeout = 120_000;
