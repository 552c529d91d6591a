import { setTimeout as sleep } from 'node:timers/promises';
import { Controller, Get, MIME_TYPE, SseEvent, StreamResponse } from 'bbwebservice';
import { Clock } from './clock.js';

/** Server-sent events: a `tick` with the server time every `clock.intervalMs`. */
@Controller('::/events')
export class EventsController {
  constructor(private readonly clock: Clock) {}

  @Get('/', { type: MIME_TYPE.DYNAMIC })
  ticks(): StreamResponse {
    const clock = this.clock;
    async function* ticks() {
      for (let n = 1; ; n++) {
        yield new SseEvent(
          { n, time: clock.now().toISOString() },
          { event: 'tick', id: String(n) },
        ).toBytes();
        await sleep(clock.intervalMs);
      }
    }
    // The stream ends when the client leaves (the generator's loop stops there), or after
    // ten minutes; the browser's EventSource then reconnects by itself.
    return new StreamResponse(ticks(), {
      mimeType: MIME_TYPE.EVENT_STREAM,
      heartbeatMs: 15_000,
      limits: { idleTimeoutMs: 30_000, maxDurationMs: 10 * 60_000 },
    });
  }
}
