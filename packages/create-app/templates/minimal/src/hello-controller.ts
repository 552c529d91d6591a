import { Controller, Get, MIME_TYPE, Param } from 'bbwebservice';
import { Greeter } from './greeter.js';

@Controller()
export class HelloController {
  constructor(private readonly greeter: Greeter) {}

  @Get('::/hello', { type: MIME_TYPE.TEXT })
  hello(): string {
    return this.greeter.greet('{{name}}');
  }

  @Get('::/hello/{name:str}', { type: MIME_TYPE.JSON })
  helloTo(@Param('name') name: string): { message: string } {
    return { message: this.greeter.greet(name) };
  }
}
