import { Controller, Get, MIME_TYPE } from 'bbwebservice';
import { Greeter } from './greeter.js';

/** The seed's Quick Start: `GET /hello` on every endpoint. */
@Controller()
export class HelloController {
  constructor(private readonly greeter: Greeter) {}

  @Get('::/hello', { type: MIME_TYPE.TEXT })
  hello(): string {
    return this.greeter.greet('bbwebservice');
  }
}
