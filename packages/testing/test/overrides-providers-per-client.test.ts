import { Controller, Get } from '@bbws/core';
import { override, TestClient } from '@bbws/testing';
import { container, injectable, singleton } from 'tsyringe';
import { describe, expect, it, vi } from 'vitest';

@singleton()
class Greeter {
  greet(name: string): string {
    return `Hello ${name}`;
  }
}

@injectable()
class Clock {
  now(): string {
    return 'real time';
  }
}

@injectable()
class Punctuation {
  mark(): string {
    return '';
  }
}

@Controller('::/api')
class GreetingController {
  calls = 0;
  constructor(
    readonly greeter: Greeter,
    readonly clock: Clock,
    readonly punctuation: Punctuation,
  ) {}

  @Get('/hello')
  hello(): string {
    this.calls++;
    return `${this.greeter.greet('Ada')}${this.punctuation.mark()}`;
  }

  @Get('/time')
  time(): string {
    return this.clock.now();
  }
}

const suffix = (value: string) => override(Punctuation).useValue({ mark: () => value });

describe('provider overrides', () => {
  it('replace a service with a value for one client', async () => {
    const client = await TestClient.create({
      controllers: [GreetingController],
      providers: [override(Greeter).useValue({ greet: (n) => `Stub ${n}` }), suffix('!')],
    });
    expect((await client.get('/api/hello')).text()).toBe('Stub Ada!');
  });

  it('replace a service with a class, built with its own dependencies, one instance per client', async () => {
    @injectable()
    class LoudGreeter {
      constructor(readonly clock: Clock) {}
      greet(name: string): string {
        return `HELLO ${name.toUpperCase()} at ${this.clock.now()}`;
      }
    }
    const client = await TestClient.create({
      controllers: [GreetingController],
      providers: [override(Greeter).useClass(LoudGreeter), suffix('')],
    });
    expect((await client.get('/api/hello')).text()).toBe('HELLO ADA at real time');
    expect(client.resolve(Greeter)).toBe(client.controller(GreetingController).greeter);
    expect(client.resolve(Greeter)).toBeInstanceOf(LoudGreeter);
  });

  it('replace a service with a factory that gets the container', async () => {
    const client = await TestClient.create({
      controllers: [GreetingController],
      providers: [
        override(Clock).useFactory((c) => ({ now: () => `fixed (${c.resolve(Punctuation).mark()})` })),
        suffix('?'),
      ],
    });
    expect((await client.get('/api/time')).text()).toBe('fixed (?)');
  });

  it('leave tsyringe global container and other clients alone', async () => {
    const stubbed = await TestClient.create({
      controllers: [GreetingController],
      providers: [override(Greeter).useValue({ greet: () => 'stub' }), suffix('')],
    });
    const real = await TestClient.create({ controllers: [GreetingController], providers: [suffix('')] });
    expect((await stubbed.get('/api/hello')).text()).toBe('stub');
    expect((await real.get('/api/hello')).text()).toBe('Hello Ada');
    expect(container.isRegistered(Punctuation, true)).toBe(false);
    expect(container.resolve(Greeter).greet('x')).toBe('Hello x');
  });

  it('take plain [token, provider] pairs too', async () => {
    const client = await TestClient.create({
      controllers: [GreetingController],
      providers: [
        [Greeter, { useValue: { greet: () => 'pair' } }],
        [Punctuation, { useValue: { mark: () => '.' } }],
      ],
    });
    expect((await client.get('/api/hello')).text()).toBe('pair.');
  });
});

describe('client.controller()', () => {
  it('returns the instance that handles the requests, so its dependencies can be spied on', async () => {
    const client = await TestClient.create({ controllers: [GreetingController], providers: [suffix('')] });
    const controller = client.controller(GreetingController);
    const greet = vi.spyOn(controller.greeter, 'greet').mockReturnValue('spied');
    expect((await client.get('/api/hello')).text()).toBe('spied');
    expect(greet).toHaveBeenCalledWith('Ada');
    expect(controller.calls).toBe(1);
    greet.mockRestore();
  });

  it('sees a spy on a route method when the spy is set on the prototype before the client is made', async () => {
    // Routes are compiled when the app is created: a spy set later on the instance is not called.
    const hello = vi.spyOn(GreetingController.prototype, 'hello');
    try {
      const client = await TestClient.create({ controllers: [GreetingController], providers: [suffix('')] });
      expect((await client.get('/api/hello')).text()).toBe('Hello Ada');
      expect(hello).toHaveBeenCalledTimes(1);
      expect(hello.mock.contexts[0]).toBe(client.controller(GreetingController));
    } finally {
      hello.mockRestore();
    }
  });

  it('throws a coded error for a client made from a bare server', async () => {
    const { HttpServer } = await import('@bbws/transport');
    const client = TestClient.fromServer(
      new HttpServer({ handler: (_r, s) => s.send(204, '', null), listeners: [] }),
    );
    expect(() => client.controller(GreetingController)).toThrow(
      expect.objectContaining({ code: 'BBWS_ERR_TESTING_NO_APP' }),
    );
  });
});
