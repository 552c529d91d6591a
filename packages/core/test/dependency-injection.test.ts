import { TestClient } from '@bbws/testing';
import { inject, injectable, singleton } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import {
  Controller,
  CoreError,
  Ctx,
  createApp,
  Get,
  REQUEST_CONTEXT,
  type RequestContext,
} from '../src/index.js';

@singleton()
class Counter {
  count = 0;
  next(): number {
    return ++this.count;
  }
}

@Controller('::/s')
class SingletonController {
  static instances = 0;
  constructor(private readonly counter: Counter) {
    SingletonController.instances++;
  }
  @Get('/n') n() {
    return String(this.counter.next());
  }
}

@injectable()
class PerRequest {
  constructor(@inject(REQUEST_CONTEXT) readonly ctx: RequestContext) {}
}

@Controller({ prefix: '::/r', scope: 'request' })
class RequestScopedController {
  static instances = 0;
  constructor(readonly perRequest: PerRequest) {
    RequestScopedController.instances++;
  }
  @Get('/who', { type: 'application/json' }) who(@Ctx() ctx: RequestContext) {
    return { path: this.perRequest.ctx.path, same: this.perRequest.ctx === ctx };
  }
}

const GREETING = Symbol('greeting');
const ALIAS = Symbol('alias');

@injectable()
class Greeter {
  constructor(@inject(GREETING) readonly greeting: string) {}
}

@Controller('::/g')
class GreetingController {
  constructor(
    readonly greeter: Greeter,
    @inject(ALIAS) readonly alias: string,
  ) {}
  @Get('/') hi() {
    return `${this.greeter.greeting}/${this.alias}`;
  }
}

describe('dependency injection', () => {
  it('resolves singleton controllers once, with their services', async () => {
    SingletonController.instances = 0;
    const client = await TestClient.create({ controllers: [SingletonController] });
    const first = Number((await client.get('/s/n')).text());
    expect(Number((await client.get('/s/n')).text())).toBe(first + 1);
    expect(SingletonController.instances).toBe(1);
  });

  it('request-scoped controllers get a fresh instance and the request context', async () => {
    const client = await TestClient.create({ controllers: [RequestScopedController] });
    const before = RequestScopedController.instances;
    expect((await client.get('/r/who')).json()).toEqual({ path: '/r/who', same: true });
    await client.get('/r/who');
    // One probe resolve at start, then one per request.
    expect(RequestScopedController.instances - before).toBe(2);
  });

  it('providers register values, factories and tokens on the app container only', async () => {
    const client = await TestClient.create({
      controllers: [GreetingController],
      providers: [
        [GREETING, { useFactory: () => 'hello' }],
        ['plain', { useValue: 'aliased' }],
        [ALIAS, { useToken: 'plain' }],
      ],
    });
    expect((await client.get('/g')).text()).toBe('hello/aliased');
    const other = createApp({ controllers: [], config: {} });
    expect(other.container.isRegistered(GREETING, true)).toBe(false);
  });

  it('a class provider replaces a service', async () => {
    class LoudCounter extends Counter {
      override next(): number {
        return 1000;
      }
    }
    const client = await TestClient.create({
      controllers: [SingletonController],
      providers: [[Counter, { useClass: LoudCounter }]],
    });
    expect((await client.get('/s/n')).text()).toBe('1000');
  });

  it('a missing provider fails at start with the chain of names', () => {
    try {
      createApp({ controllers: [GreetingController], config: {} });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CoreError);
      expect((error as CoreError).code).toBe('BBWS_ERR_DI_MISSING');
      expect((error as Error).message).toMatch(
        /GreetingController → Greeter → parameter #0: no provider for token Symbol\(greeting\)/,
      );
    }
  });

  it('an interface-typed parameter without @inject fails naming it', () => {
    interface Store {
      get(): string;
    }
    @Controller()
    class NeedsInterface {
      constructor(readonly store: Store) {}
    }
    expect(() => createApp({ controllers: [NeedsInterface], config: {} })).toThrow(
      /NeedsInterface → parameter #0 has type Object \(an interface or primitive\)/,
    );
  });

  it('a circular dependency fails at start with the cycle', () => {
    @injectable()
    class A {
      constructor(@inject('B') readonly b: unknown) {}
    }
    @injectable()
    class B {
      constructor(readonly a: A) {}
    }
    @Controller()
    class Cyclic {
      constructor(readonly a: A) {}
    }
    try {
      createApp({ controllers: [Cyclic], config: {}, providers: [['B', { useClass: B }]] });
    } catch (error) {
      // 'B' is registered, so the walk stops there; tsyringe then detects the cycle at resolve.
      expect(error).toBeInstanceOf(Error);
      return;
    }
    expect.unreachable();
  });

  it('a self-referencing constructor chain is reported as circular', () => {
    @injectable()
    class Loop {
      constructor(@inject('loop') readonly self: unknown) {}
    }
    Reflect.defineMetadata('design:paramtypes', [Loop], Loop);
    Reflect.defineMetadata('injectionTokens', {}, Loop);
    @Controller()
    class UsesLoop {
      constructor(readonly loop: Loop) {}
    }
    expect(() => createApp({ controllers: [UsesLoop], config: {} })).toThrow(
      /circular dependency: UsesLoop → Loop → Loop/,
    );
  });
});

describe('spying on a resolved controller', () => {
  it('vi.spyOn on the instance from getController replaces what the route calls', async () => {
    const { vi } = await import('vitest');
    const client = await TestClient.create({ controllers: [SingletonController] });
    const controller = client.app.getController(SingletonController);
    const spy = vi.spyOn(controller, 'n').mockReturnValue('spied');
    expect((await client.get('/s/n')).text()).toBe('spied');
    expect(spy).toHaveBeenCalledTimes(1);
  });
});
