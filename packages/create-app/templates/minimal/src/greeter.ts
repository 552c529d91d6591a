import { singleton } from 'bbwebservice';

@singleton()
export class Greeter {
  greet(name: string): string {
    return `Hello from ${name}!`;
  }
}
