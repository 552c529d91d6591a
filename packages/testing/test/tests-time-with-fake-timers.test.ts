import { Controller, Get, Task } from '@bbws/core';
import { MIME_TYPE, SseEvent, StreamResponse } from '@bbws/responses';
import { TestClient } from '@bbws/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

@Controller()
class SlowController {
  @Get('::/slow')
  async slow(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    return 'done after 30 s';
  }

  @Get('::/fast')
  fast(): string {
    return 'fast';
  }
}

@Controller()
class QuietEventsController {
  @Get('::/quiet', { type: MIME_TYPE.DYNAMIC })
  quiet(): StreamResponse {
    const source = async function* () {
      yield new SseEvent('hello').toBytes();
      await new Promise(() => {}); // nothing more, ever
    };
    return new StreamResponse(source(), { mimeType: MIME_TYPE.EVENT_STREAM, heartbeatMs: 5_000 });
  }
}

@Controller()
class CleanupController {
  runs = 0;

  @Task({ every: '60s' })
  cleanup(): void {
    this.runs++;
  }

  @Get('::/runs')
  count(): string {
    return String(this.runs);
  }
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('fake timers', () => {
  it('drive a handler that waits on a timer: no answer until the clock moves', async () => {
    const client = await TestClient.create({ controllers: [SlowController] });
    let isAnswered = false;
    const pending = client.get('/slow').then((res) => {
      isAnswered = true;
      return res;
    });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(isAnswered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.text()).toBe('done after 30 s');
  });

  it('drive the keep-alive idle timeout: the server closes the connection after keep_alive_timeout', async () => {
    const client = await TestClient.create({
      controllers: [SlowController],
      config: { keep_alive_timeout: 5 },
      keepAlive: true,
    });
    expect((await client.get('/fast')).text()).toBe('fast');
    expect(client.idleConnections).toBe(1);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(client.idleConnections).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(client.idleConnections).toBe(0);
    // The next request opens a fresh connection.
    expect((await client.get('/fast')).text()).toBe('fast');
    client.close();
  });

  it('drive @Task: an app started without listeners runs its tasks as the clock moves', async () => {
    // `server: []` starts no listener: start() only starts the tasks.
    const client = await TestClient.create({ controllers: [CleanupController], config: { server: [] } });
    await client.app.start({ handleSignals: false });
    try {
      await vi.advanceTimersByTimeAsync(59_999);
      expect((await client.get('/runs')).text()).toBe('0');
      await vi.advanceTimersByTimeAsync(1);
      expect((await client.get('/runs')).text()).toBe('1');
      await vi.advanceTimersByTimeAsync(120_000);
      expect(client.controller(CleanupController).runs).toBe(3);
    } finally {
      await client.app.stop();
    }
  });

  it('drive handler_timeout: a handler still pending after it is answered 504', async () => {
    const client = await TestClient.create({ controllers: [SlowController], config: { handler_timeout: 5 } });
    let isAnswered = false;
    const pending = client.get('/slow').then((res) => {
      isAnswered = true;
      return res;
    });
    await vi.advanceTimersByTimeAsync(4_000);
    expect(isAnswered).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    const res = await pending;
    expect(res.status).toBe(504);
    expect(res.headers['connection']).toBe('close');
  });

  it('drive header_timeout: a head that stops half way is answered 408', async () => {
    const client = await TestClient.create({ controllers: [SlowController], config: { header_timeout: 2 } });
    const connection = client.connect();
    connection.write('GET /fast HTTP/1.1\r\nHo');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(connection.receivedBytes).toBe(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect((await connection.read()).status).toBe(408);
    await connection.closed();
  });

  it('drive SSE heartbeats and stream_idle_timeout: comments every 5 s, then the stream ends', async () => {
    const client = await TestClient.create({
      controllers: [QuietEventsController],
      config: { stream_idle_timeout: 12 },
    });
    const data: string[] = [];
    let comments = 0;
    const reading = (async () => {
      for await (const event of client.sse('/quiet', { onComment: () => comments++ })) data.push(event.data);
    })();
    await vi.advanceTimersByTimeAsync(100);
    expect(data).toEqual(['hello']);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(comments).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(comments).toBe(2);
    await vi.advanceTimersByTimeAsync(2_000);
    await reading;
    expect(data).toEqual(['hello']);
  });
});
