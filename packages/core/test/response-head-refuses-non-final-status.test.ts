import net from 'node:net';
import { ResponsesError } from '@bbws/responses';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ByteReader, readResponse } from '../../transport/test/support/wire.js';
import { Controller, createApp, Get, LogHub, Param, Res, ResponseHead } from '../src/index.js';

// Issue 11 A: `res.status = 100` used to go out as a final answer. A 1xx is interim (RFC 9110
// §15.2), so the client read the next response as this request's, and every pipelined answer
// behind it was off by one.

@Controller()
class StatusController {
  @Get('::/status/{code:int}')
  status(@Param('code') code: number, @Res() res: ResponseHead) {
    res.status = code;
    return `answered ${code}`;
  }

  @Get('::/next')
  next() {
    return 'the next request';
  }
}

const logger = new LogHub({ console: false });
const log = vi.spyOn(logger, 'log');
const app = createApp({
  controllers: [StatusController],
  config: { server: [{ ip: '127.0.0.1', port: 0 }] },
  logger,
  env: {},
});
let port = 0;

beforeAll(async () => {
  await app.start({ handleSignals: false });
  port = app.addresses[0]?.port ?? 0;
});
afterAll(() => app.stop());

/** Writes `requests` on one socket at once and reads `count` answers. */
async function pipeline(requests: string, count: number) {
  const socket = net.connect(port, '127.0.0.1');
  try {
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(requests);
    const reader = new ByteReader(socket);
    const answers = [];
    for (let i = 0; i < count; i++) answers.push(await readResponse(reader));
    return answers;
  } finally {
    socket.destroy();
  }
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: a\r\n\r\n`;

describe('ResponseHead.status', () => {
  it.each([100, 101, 199, 600, 1000])(
    'refuses %i: the handler answers 500 with the coded error logged, and the pipelined request behind it gets its own answer',
    async (code) => {
      log.mockClear();
      const [refused, next] = await pipeline(get(`/status/${code}`) + get('/next'), 2);
      expect(refused?.status).toBe(500);
      expect(refused?.body.toString()).toBe('Internal Server Error');
      expect(next?.status).toBe(200);
      expect(next?.body.toString()).toBe('the next request');
      const failure = log.mock.calls.find(([, level]) => level === 'error');
      expect(failure?.[0]).toBe(`GET /status/${code} failed`);
      const error = failure?.[3];
      expect(error).toBeInstanceOf(ResponsesError);
      expect(error).toMatchObject({ code: 'BBWS_ERR_RESPONSE_STATUS' });
      expect(String(error)).toContain(`got ${code}`);
    },
  );

  it.each([200, 201, 404, 599])('keeps %i, as Response does', async (code) => {
    const [answer, next] = await pipeline(get(`/status/${code}`) + get('/next'), 2);
    expect(answer?.status).toBe(code);
    expect(answer?.body.toString()).toBe(`answered ${code}`);
    expect(next?.status).toBe(200);
  });

  it('refuses what Response refuses, with the same code, in the handler that set it', () => {
    const head = new ResponseHead();
    for (const status of [99, 100, 199, 600, 200.5, Number.NaN]) {
      expect(() => {
        head.status = status;
      }).toThrow(expect.objectContaining({ code: 'BBWS_ERR_RESPONSE_STATUS' }));
    }
    expect(head.status).toBeNull();
    head.status = 201;
    expect(head.status).toBe(201);
    expect(head.isEmpty).toBe(false);
    head.status = null;
    expect(head.isEmpty).toBe(true);
  });
});
