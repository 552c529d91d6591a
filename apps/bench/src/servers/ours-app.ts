/**
 * Our server as an app is written: controllers with decorators, a `@singleton()` service by
 * constructor injection, zod validation, `PartialContent`, an SSE `SseChannel`. The
 * factories build the app; `ours.ts` and `ours-offload.ts` start it (pool workers import this
 * module, never an entry).
 */
import {
  type App,
  Body,
  type ConfigInput,
  Controller,
  createApp,
  Get,
  MIME_TYPE,
  Offload,
  Param,
  PartialContent,
  Post,
  SseChannel,
  SseEvent,
  singleton,
} from 'bbwebservice';
import { benchDir, benchPort, EVENT_DATA, FILE_NAME, HELLO, receipt, spin, userOf } from './common.js';
import { type Order, OrderSchema } from './order-schema.js';

@singleton()
class Greeter {
  greet(): string {
    return HELLO;
  }
}

/** The SSE subscribers: one channel, as docs/responses.md recommends for fan-out. */
@singleton()
class Broadcaster {
  readonly channel = new SseChannel();
  readonly #event = new SseEvent(EVENT_DATA).toBytes();

  publish(): number {
    return this.channel.publish(this.#event);
  }
}

@Controller()
class BenchController {
  constructor(
    private readonly greeter: Greeter,
    private readonly broadcaster: Broadcaster,
  ) {}

  @Get('::/hello', { type: MIME_TYPE.TEXT })
  hello(): string {
    return this.greeter.greet();
  }

  @Get('::/users/{id:str}', { type: MIME_TYPE.JSON })
  user(@Param('id') id: string) {
    return userOf(id);
  }

  @Post('::/orders', { type: MIME_TYPE.JSON })
  order(@Body(OrderSchema) order: Order) {
    return receipt(order);
  }

  @Get(`::/${FILE_NAME}`, { type: MIME_TYPE.DYNAMIC })
  file() {
    return new PartialContent(FILE_NAME, { root: benchDir() });
  }

  @Get('::/events', { type: MIME_TYPE.DYNAMIC })
  events() {
    return this.broadcaster.channel.subscribe({
      limits: { idleTimeoutMs: 0, maxDurationMs: 0, maxTotalBytes: 0 },
    });
  }

  @Get('::/broadcast', { type: MIME_TYPE.TEXT })
  broadcast(): string {
    return String(this.broadcaster.publish());
  }

  @Get('::/spin', { type: MIME_TYPE.TEXT })
  spin(): string {
    return spin();
  }
}

/** The CPU route in the pool: `@Offload()`, two worker threads. */
@Controller()
class OffloadController {
  @Get('::/hello', { type: MIME_TYPE.TEXT })
  hello(): string {
    return HELLO;
  }

  @Offload()
  @Get('::/spin', { type: MIME_TYPE.TEXT })
  spin(): string {
    return spin();
  }
}

function config(extra: ConfigInput): ConfigInput {
  return {
    server: [{ ip: '127.0.0.1', port: benchPort() }],
    // Unlimited requests per connection and a long idle time, like the peers' defaults.
    keep_alive_max_requests: 0,
    keep_alive_timeout: 120,
    log: { levels: ['error', 'critical'] },
    ...extra,
  };
}

export function createOursApp(): App {
  return createApp({ controllers: [BenchController], config: config({}) });
}

export function createOffloadApp(): App {
  return createApp({
    controllers: [OffloadController],
    config: config({ worker_processes: 2, max_threads_per_process: 1 }),
    worker: { module: import.meta.url, export: 'createOffloadApp' },
  });
}
