import { connect } from 'node:net';
import { TestClient } from '@bbws/testing';
import { describe, expect, it, vi } from 'vitest';
import { Controller, createApp, Get, LogHub, type LogLevel } from '../src/index.js';

// Issue 13: every documented level emits. `request` is one access line per request, `response`
// the head sent, `time` the duration, `timeout` every timeout the transport counts; a level
// that is off costs no formatting (the request path does not even build the lines).

type Line = Record<string, unknown> & { level: number; msg: string };

function hub(levels: LogLevel[]) {
  const lines: Line[] = [];
  const logger = new LogHub({ console: { write: (line) => lines.push(JSON.parse(line) as Line) }, levels });
  return { logger, lines, at: (level: number) => lines.filter((line) => line.level === level) };
}

const REQUEST = 21;
const RESPONSE = 22;
const TIME = 23;
const TIMEOUT = 35;

@Controller('::/log')
class Pages {
  @Get('/hello') hello() {
    return 'hi';
  }

  @Get('/never') never() {
    return new Promise(() => {});
  }
}

describe('per-request levels', () => {
  it('request: one access line per request, with method, target, status, bytes, duration, endpoint, remote address', async () => {
    const { logger, at } = hub(['request']);
    const client = await TestClient.create({ controllers: [Pages], logger });
    await client.get('/log/hello?x=1');
    await client.get('/log/missing');
    const lines = at(REQUEST);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      method: 'GET',
      target: '/log/hello?x=1',
      status: 200,
      bytes: 2,
      endpoint: expect.stringMatching(/:\d+::/),
      remoteAddress: expect.any(String),
    });
    expect(lines[0]?.durationMs).toEqual(expect.any(Number));
    expect(lines[1]).toMatchObject({ target: '/log/missing', status: 404 });
    await client.close();
  });

  it('response: the status and head sent; time: the duration', async () => {
    const { logger, at } = hub(['response', 'time']);
    const client = await TestClient.create({ controllers: [Pages], logger });
    await client.get('/log/hello');
    expect(at(RESPONSE)).toHaveLength(1);
    expect(at(RESPONSE)[0]).toMatchObject({ status: 200 });
    expect(at(RESPONSE)[0]?.headers).toContainEqual(expect.stringMatching(/^Content-Type: text\/plain/));
    expect(at(TIME)).toHaveLength(1);
    expect(at(TIME)[0]?.durationMs).toEqual(expect.any(Number));
    expect(at(REQUEST)).toHaveLength(0);
    await client.close();
  });

  it('off: the request path builds no line, and switching on at run time takes effect', async () => {
    const { logger, at } = hub(['info']);
    const log = vi.spyOn(logger, 'log');
    const client = await TestClient.create({ controllers: [Pages], logger });
    await client.get('/log/hello');
    const perRequest = (call: unknown[]) => ['request', 'response', 'time'].includes(call[1] as string);
    expect(log.mock.calls.filter(perRequest)).toEqual([]);
    logger.setLogging('request', true);
    await client.get('/log/hello');
    expect(at(REQUEST)).toHaveLength(1);
    logger.setLogging('request', false);
    log.mockClear();
    await client.get('/log/hello');
    expect(log.mock.calls.filter(perRequest)).toEqual([]);
    await client.close();
  });
});

describe('the timeout level', () => {
  it('logs a 504 (handler_timeout) and a 408 (header_timeout) with endpoint and reason', async () => {
    const { logger, at } = hub(['timeout']);
    const app = createApp({
      controllers: [Pages],
      logger,
      env: {},
      config: { server: [{ ip: '127.0.0.1', port: 0 }], handler_timeout: 0.2, header_timeout: 0.3 },
    });
    await app.start({ handleSignals: false });
    try {
      const port = app.addresses[0]?.port ?? 0;
      const answers = await Promise.all([
        exchange(port, 'GET /log/never HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'),
        exchange(port, 'GET /log/hello HTTP/1.1\r\nHost: a\r\n'),
      ]);
      expect(answers[0]).toMatch(/^HTTP\/1\.1 504/);
      expect(answers[1]).toMatch(/^HTTP\/1\.1 408/);
      const lines = at(TIMEOUT);
      expect(lines.map((line) => line.status).sort()).toEqual([408, 504]);
      expect(lines.find((line) => line.status === 504)?.msg).toMatch(/handler_timeout/);
      expect(lines.find((line) => line.status === 408)?.msg).toMatch(/header_timeout/);
      // The 504 knows the request's Host; the 408 came before a Host was read.
      expect(lines.find((line) => line.status === 504)?.scope).toBe(`127.0.0.1:${port}::a`);
      expect(lines.find((line) => line.status === 408)?.scope).toBe(`127.0.0.1:${port}::`);
      expect(lines.every((line) => line.remoteAddress === '127.0.0.1')).toBe(true);
    } finally {
      await app.stop();
    }
  });
});

/** Writes `bytes` on a loopback socket and resolves with everything read until it closes (5 s at most). */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('the timeout level switched off', () => {
  it('formats nothing: the lines the transport hands over are never built', async () => {
    const { logger, lines } = hub(['info']);
    const original = logger.log.bind(logger);
    let built = 0;
    let offered = 0;
    vi.spyOn(logger, 'log').mockImplementation((message, level, scope, error) => {
      if (level !== 'timeout' || typeof message !== 'function') return original(message, level, scope, error);
      offered++;
      return original(
        () => {
          built++;
          return (message as () => unknown)();
        },
        level,
        scope,
        error,
      );
    });
    const app = createApp({
      controllers: [Pages],
      logger,
      env: {},
      config: { server: [{ ip: '127.0.0.1', port: 0 }], handler_timeout: 0.2 },
    });
    await app.start({ handleSignals: false });
    try {
      const port = app.addresses[0]?.port ?? 0;
      expect(await exchange(port, 'GET /log/never HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')).toMatch(
        /^HTTP\/1\.1 504/,
      );
      expect(offered).toBe(1);
      expect(built).toBe(0);
      expect(lines.filter((line) => line.level === TIMEOUT)).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});

describe('the info level at start', () => {
  it('has one line per listener, with its bound address', async () => {
    const { logger, at } = hub(['info']);
    const app = createApp({
      controllers: [Pages],
      logger,
      env: {},
      config: {
        server: [
          { ip: '127.0.0.1', port: 0 },
          { ip: '::1', port: 0 },
        ],
      },
    });
    await app.start({ handleSignals: false });
    try {
      const [v4, v6] = app.addresses;
      expect(at(30).map((line) => line.msg)).toEqual([
        `listening on http://127.0.0.1:${v4?.port}`,
        `listening on http://[::1]:${v6?.port}`,
      ]);
    } finally {
      await app.stop();
    }
  });
});
