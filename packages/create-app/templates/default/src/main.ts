import { Controller, createApp, Get, MIME_TYPE, singleton } from 'bbwebservice';

@singleton()
class Greeter {
  greet(): string {
    return 'Hello from {{name}}!';
  }
}

@Controller()
class HelloController {
  constructor(private readonly greeter: Greeter) {}

  @Get('::/hello', { type: MIME_TYPE.TEXT })
  hello(): string {
    return this.greeter.greet();
  }
}

const app = createApp({ controllers: [HelloController] });
await app.start();
console.log('listening on', app.addresses);
