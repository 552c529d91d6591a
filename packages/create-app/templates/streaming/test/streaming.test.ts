import { override, TestClient } from 'bbwebservice/testing';
import { describe, expect, it } from 'vitest';
import { Clock } from '../src/clock.js';
import { EventsController } from '../src/events-controller.js';
import { MediaController } from '../src/media-controller.js';

describe('events', () => {
  it('streams tick events, each with its number and id (a fast clock replaces the real one)', async () => {
    const client = await TestClient.create({
      controllers: [EventsController],
      providers: [override(Clock).useValue({ intervalMs: 5, now: () => new Date(0) })],
    });
    const ticks = [];
    for await (const event of client.sse('/events')) {
      ticks.push(event);
      if (ticks.length === 3) break; // leaving disconnects; the server's generator stops
    }
    expect(ticks.map((event) => [event.event, event.id, JSON.parse(event.data)])).toEqual([
      ['tick', '1', { n: 1, time: '1970-01-01T00:00:00.000Z' }],
      ['tick', '2', { n: 2, time: '1970-01-01T00:00:00.000Z' }],
      ['tick', '3', { n: 3, time: '1970-01-01T00:00:00.000Z' }],
    ]);
  });
});

describe('media', () => {
  it('serves the page that uses both routes', async () => {
    const client = await TestClient.create({ controllers: [MediaController] });
    const page = await client.get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text()).toContain("new EventSource('/events')");
    expect(page.text()).toContain('src="/video"');
  });

  it('answers a byte range of the video with 206 and its Content-Range', async () => {
    const client = await TestClient.create({ controllers: [MediaController] });
    const whole = await client.get('/video');
    expect(whole.status).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    const size = whole.bytes().length;

    const part = await client.get('/video', { range: { start: 100, end: 199 } });
    expect(part.status).toBe(206);
    expect(part.contentRange).toEqual({ unit: 'bytes', start: 100, end: 199, size });
    expect(part.bytes()).toEqual(whole.bytes().subarray(100, 200));
  });
});
