import { RouterError } from '@bbws/router';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Body, Controller, CoreError, createApp, Get, Param, Query } from '../src/index.js';

// Issue 13: mistakes that used to pass silently (a handler got `undefined`, every request
// answered 500, a field served as a route) now fail at start with a code, naming class and method.

const config = { server: [] };

function failureOf(build: () => unknown): unknown {
  try {
    build();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure at start');
}

describe('createApp fails at start', () => {
  it('for @Param naming no placeholder of the template', () => {
    @Controller('::/users')
    class Users {
      @Get('/{name:str}')
      show(@Param('nmae') name: string) {
        return name;
      }
    }
    const error = failureOf(() => createApp({ controllers: [Users], config }));
    expect(error).toBeInstanceOf(CoreError);
    expect(error).toMatchObject({ code: 'BBWS_ERR_PARAM_UNKNOWN' });
    expect((error as Error).message).toContain('Users.show');
    expect((error as Error).message).toContain('"nmae"');
    expect((error as Error).message).toContain('name');
  });

  it('for @Body or @Query given something that is not a zod schema', () => {
    @Controller()
    class Orders {
      @Get('/orders')
      list(@Query({ page: 1 } as never) query: unknown) {
        return query;
      }
    }
    @Controller()
    class Login {
      @Get('/login')
      login(@Body('user' as never) body: unknown) {
        return body;
      }
    }
    @Controller()
    class Page {
      @Get('/page')
      page(@Query('page', 5 as never) page: unknown) {
        return page;
      }
    }
    for (const [controller, name] of [
      [Orders, 'Orders.list'],
      [Login, 'Login.login'],
      [Page, 'Page.page'],
    ] as const) {
      const error = failureOf(() => createApp({ controllers: [controller], config }));
      expect(error).toMatchObject({ code: 'BBWS_ERR_SCHEMA_INVALID' });
      expect((error as Error).message).toContain(name);
    }
  });

  it('for a route decorator on a field (swc compiles it; it used to be served)', () => {
    const error = failureOf(() => {
      @Controller()
      class Fields {
        // @ts-expect-error: the type checker refuses it, a transpiler does not
        @Get('/field') handler = () => 'served';
      }
      return createApp({ controllers: [Fields], config });
    });
    expect(error).toMatchObject({ code: 'BBWS_ERR_DECORATOR_MISUSE' });
    expect((error as Error).message).toContain('Fields.handler');
  });

  it('for @Controller on a method', () => {
    const error = failureOf(() => {
      class Misplaced {
        // @ts-expect-error: the type checker refuses it, a transpiler does not
        @Controller('::/x')
        handler() {
          return 'x';
        }
      }
      return Misplaced;
    });
    expect(error).toMatchObject({ code: 'BBWS_ERR_DECORATOR_MISUSE' });
    expect((error as Error).message).toContain('Misplaced.handler');
  });

  it('for two routes that conflict, naming both classes and methods', () => {
    @Controller('::/api')
    class First {
      @Get('/items/{id:int}')
      one(@Param('id') id: number) {
        return id;
      }
    }
    @Controller()
    class Second {
      @Get('::/api/items/{n:int}')
      two(@Param('n') n: number) {
        return n;
      }
    }
    const error = failureOf(() => createApp({ controllers: [First, Second], config }));
    expect(error).toBeInstanceOf(RouterError);
    expect(error).toMatchObject({ code: 'BBWS_ERR_ROUTE_DUPLICATE' });
    expect((error as Error).message).toContain('Second.two');
    expect((error as Error).message).toContain('First.one');
  });

  it('for a bad template with the template code, not "cannot join the controller prefix"', () => {
    @Controller('::/api')
    class Broken {
      @Get('/items/{id:nope}')
      item() {
        return 'x';
      }
    }
    const error = failureOf(() => createApp({ controllers: [Broken], config }));
    expect(error).toBeInstanceOf(RouterError);
    expect(error).toMatchObject({ code: 'BBWS_ERR_ROUTE_TEMPLATE' });
    expect((error as Error).message).toContain('Broken.item');
    expect((error as Error).message).not.toContain('cannot join');
  });

  it('and still starts an app whose @Param names are all in the template', () => {
    @Controller('::/users')
    class Fine {
      @Get('/{name:str}/{age:int}')
      show(@Param('name') name: string, @Param('age') age: number, @Query(z.object({})) q: object) {
        return { name, age, q };
      }
    }
    expect(() => createApp({ controllers: [Fine], config })).not.toThrow();
  });
});
