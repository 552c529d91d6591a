import net from 'node:net';
import { Controller, createApp, Get } from 'bbwebservice';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

@Controller()
class SlowController {
  @Get('::/never')
  never(): Promise<string> {
    return new Promise(() => {});
  }
}

const app = createApp({
  controllers: [SlowController],
  config: {
    server: [{ ip: '127.0.0.1', port: 0 }],
    header_timeout: 0.2,
    handler_timeout: 0.2,
    log: { console: false },
  },
  env: {},
});
let base = '';
let port = 0;
beforeAll(async () => {
  await app.start({ handleSignals: false });
  port = app.addresses[0]?.port ?? 0;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => app.stop());

async function counts(): Promise<Record<string, number>> {
  const res = await request(`${base}/_bbws/metrics/timeouts`);
  return (await res.body.json()) as Record<string, number>;
}

describe('timeout metrics over a real socket', () => {
  it('count a slow header block (408) and a stuck handler (504)', async () => {
    expect(await counts()).toEqual({
      'timeouts.header': 0,
      'timeouts.body': 0,
      'timeouts.handler': 0,
      'timeouts.send': 0,
      'timeouts.slot': 0,
    });

    const socket = net.connect(port, '127.0.0.1');
    socket.write('GET /never HTTP/1.1\r\nHost: x\r\n'); // never finishes its head
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
      });
      socket.once('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);

    const stuck = await request(`${base}/never`);
    expect(stuck.statusCode).toBe(504);
    await stuck.body.dump();

    expect(await counts()).toMatchObject({ 'timeouts.header': 1, 'timeouts.handler': 1 });
  });
});
