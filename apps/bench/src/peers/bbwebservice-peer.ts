import { Controller, createApp, Get, MIME_TYPE, singleton } from 'bbwebservice';
import { HELLO } from './hello-body.js';

@singleton()
class Greeter {
  greet(): string {
    return HELLO;
  }
}

/** The quickstart's `GET /hello`: a controller resolved by DI, a service, a route plan. */
@Controller()
class HelloController {
  constructor(private readonly greeter: Greeter) {}

  @Get('::/hello', { type: MIME_TYPE.TEXT })
  hello(): string {
    return this.greeter.greet();
  }
}

/** Our full stack: createApp, router, controller, DI, result writer, transport. */
export async function startBbwebservice(port: number): Promise<void> {
  const app = createApp({
    controllers: [HelloController],
    // Unlimited requests per connection, like the other peers' defaults.
    config: { server: [{ ip: '127.0.0.1', port }], keep_alive_max_requests: 0 },
  });
  await app.start();
}
