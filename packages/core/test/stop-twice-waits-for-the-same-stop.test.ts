import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { Controller, createApp, Get } from '../src/index.js';

// Issue 11 D: a second app.stop() (a second signal handler, a test's afterAll) found the app
// "stopped" and resolved at once, while the first was still waiting for requests in progress;
// whoever awaited it then exited the process under them.

let entered: () => void = () => {};
const events: string[] = [];

@Controller()
class SlowController {
  @Get('::/slow')
  async slow() {
    entered();
    await new Promise((resolve) => setTimeout(resolve, 300));
    events.push('handler returned');
    return 'slow answer';
  }
}

describe('app.stop()', () => {
  it('called twice returns the same promise, which settles after the requests in progress are answered', async () => {
    const app = createApp({
      controllers: [SlowController],
      config: { server: [{ ip: '127.0.0.1', port: 0 }], log: { console: false } },
      env: {},
    });
    await app.start({ handleSignals: false });
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const answer = request(`http://127.0.0.1:${app.addresses[0]?.port}/slow`).then(async (res) => ({
      status: res.statusCode,
      body: await res.body.text(),
      connection: res.headers.connection,
    }));
    await inHandler;
    const first = app.stop();
    const second = app.stop();
    expect(second).toBe(first);
    await Promise.all([
      first.then(() => events.push('first stop resolved')),
      second.then(() => events.push('second stop resolved')),
    ]);
    expect(events).toEqual(['handler returned', 'first stop resolved', 'second stop resolved']);
    expect(await answer).toEqual({ status: 200, body: 'slow answer', connection: 'close' });
    expect(app.stop()).toBe(first);
  });
});
