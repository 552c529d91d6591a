// The example of docs/testing.md, kept runnable: if this file changes, change the page too.
import { Controller, Cookie, Get, Param, Res, ResponseHead } from '@bbws/core';
import { MIME_TYPE } from '@bbws/responses';
import { override, TestClient } from '@bbws/testing';
import { singleton } from 'tsyringe';
import { describe, expect, it, vi } from 'vitest';

@singleton()
class Greeter {
  greet(name: string): string {
    return `Hello ${name}`;
  }
}

@singleton()
class AuditLog {
  readonly entries: string[] = [];
  record(entry: string): void {
    this.entries.push(entry);
  }
}

@Controller('::/api')
class GreetingController {
  constructor(
    private readonly greeter: Greeter,
    readonly audit: AuditLog,
  ) {}

  @Get('/hello/{name:str}', { type: MIME_TYPE.JSON })
  hello(@Param('name') name: string, @Cookie('visits') visits: string | undefined, @Res() res: ResponseHead) {
    const count = Number(visits ?? 0) + 1;
    res.setCookie('visits', String(count), { path: '/api' });
    this.audit.record(`greeted ${name}`);
    return { message: this.greeter.greet(name), visits: count };
  }
}

describe('GreetingController', () => {
  it('greets with the service it is given, and counts visits in a cookie', async () => {
    const client = await TestClient.create({
      controllers: [GreetingController],
      // For this client only: tsyringe's global container is not touched.
      providers: [override(Greeter).useValue({ greet: (name) => `Hi ${name}, from a stub` })],
    });
    const record = vi.spyOn(client.controller(GreetingController).audit, 'record');

    const first = await client.get('/api/hello/Ada');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.json()).toEqual({ message: 'Hi Ada, from a stub', visits: 1 });

    // The cookie jar sent `visits=1` back.
    expect((await client.get('/api/hello/Ada')).json()).toMatchObject({ visits: 2 });
    expect(client.cookies.get('visits')).toBe('2');
    expect(record).toHaveBeenCalledWith('greeted Ada');
    record.mockRestore();
  });

  it('sees a spy on the route method set on the prototype before the client is made', async () => {
    const hello = vi.spyOn(GreetingController.prototype, 'hello');
    try {
      const client = await TestClient.create({ controllers: [GreetingController] });
      await client.get('/api/hello/Ada');
      expect(hello).toHaveBeenCalledWith('Ada', undefined, expect.anything());
    } finally {
      hello.mockRestore();
    }
  });
});
