import { StreamResponse } from '@bbws/responses';
import { TestClient } from '@bbws/testing';
import { describe, expect, it } from 'vitest';
import { Controller, createApp, Get, LogHub } from '../src/index.js';

function capture(levels?: Parameters<LogHub['setLogging']>[0][]) {
  const lines: Array<{ message: string; level: string; scope: string }> = [];
  const logger = new LogHub({
    console: false,
    ...(levels === undefined ? {} : { levels: levels as never }),
    callback: (message, _at, level, scope) => lines.push({ message, level, scope }),
  });
  return { logger, lines };
}

@Controller('::/log')
class LoggingController {
  constructor(private readonly log: LogHub) {}

  @Get('/hello') hello() {
    this.log.log('hello was called', 'info');
    return 'hi';
  }

  @Get('/stream', { type: 'dynamic' }) stream() {
    return new StreamResponse(
      (async function* () {
        yield 'x'.repeat(10);
        yield 'y'.repeat(10);
      })(),
      { mimeType: 'text/plain', limits: { maxTotalBytes: 12 } },
    );
  }
}

describe('the app logs through its LogHub', () => {
  it('injects the app hub into controllers by type', async () => {
    const { logger, lines } = capture();
    const client = await TestClient.create({ controllers: [LoggingController], logger });
    await client.get('/log/hello');
    expect(lines).toContainEqual({ message: 'hello was called', level: 'info', scope: '' });
  });

  it('logs config warnings at start and the route table at debug', async () => {
    const { logger, lines } = capture(['debug', 'warning']);
    const app = createApp({
      controllers: [LoggingController],
      config: { server: [{ ip: '127.0.0.1', port: 0 }], not_a_key: 1 } as never,
      logger,
      env: {},
    });
    await app.start({ handleSignals: false });
    await app.stop();
    expect(lines.some((l) => l.level === 'warning' && /not_a_key/.test(l.message))).toBe(true);
    const routes = lines.find((l) => l.level === 'debug' && l.message.startsWith('routes:'));
    expect(routes?.message).toMatch(/GET\s+::\/log\/hello/);
  });

  it('logs a stream cut by a limit at the timeout level, scoped to the endpoint', async () => {
    const { logger, lines } = capture(['timeout']);
    const client = await TestClient.create({ controllers: [LoggingController], logger });
    const res = await client.get('/log/stream');
    expect(res.text().length).toBeLessThanOrEqual(12);
    const line = lines.find((l) => l.level === 'timeout');
    expect(line?.message).toMatch(/stream GET \/log\/stream ended: max-total-bytes/);
    expect(line?.scope).toMatch(/127\.0\.0\.1:\d+/);
  });
});
