import { singleton } from 'bbwebservice';

/** The service the quickstart controller gets by constructor injection. */
@singleton()
export class Greeter {
  greet(name: string): string {
    return `Hello from ${name}!`;
  }
}
