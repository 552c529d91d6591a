import { Controller, createApp, Get } from '@bbws/core';
import { TestClient } from '@bbws/testing';
import { injectable, singleton } from 'tsyringe';
import { describe, expect, it } from 'vitest';

@singleton()
class Clock {
  now(): string {
    return 'tick';
  }
}

@injectable()
class Reporter {
  // No @inject: the type comes from `design:paramtypes`, which only survives if the test
  // transform emits decorator metadata.
  constructor(readonly clock: Clock) {}
}

@Controller('::/report')
class ReportController {
  constructor(private readonly reporter: Reporter) {}

  @Get('/now')
  now(): string {
    return this.reporter.clock.now();
  }
}

describe('constructor injection', () => {
  it('resolves constructor parameters from design:paramtypes without @inject', () => {
    expect(Reflect.getMetadata('design:paramtypes', Reporter)).toEqual([Clock]);
    const app = createApp({ controllers: [ReportController], config: {} });
    expect(app.container.resolve(Reporter).clock).toBeInstanceOf(Clock);
  });

  it('resolves a controller and the service it depends on for a request', async () => {
    const client = await TestClient.create({ controllers: [ReportController] });
    const res = await client.get('/report/now');
    expect(res.status).toBe(200);
    expect(res.text()).toBe('tick');
  });

  it('fails at createApp for a class without @Controller, naming it', () => {
    class Plain {}
    expect(() => createApp({ controllers: [Plain], config: {} })).toThrow(/Plain .*no @Controller/);
  });
});
