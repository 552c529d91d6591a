import type { HttpRequest, ResponseSink } from '@bbws/transport';
import { describe, expect, it } from 'vitest';
import { header, RawClient, startServer } from './support/servers.js';

// HttpServer.drain(), the first half of a stop (docs/processes.md#draining): every request is
// still served and every answer closes its connection; the listener keeps accepting; an idle
// kept-alive connection stays open until its next request.

describe('HttpServer.drain()', () => {
  it('answers each request with Connection: close, accepts new connections, leaves idle ones open', async () => {
    const target = await startServer();
    const idle = await RawClient.connect(target.port);
    const busy = await RawClient.connect(target.port);
    try {
      idle.write('GET /before HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(header(await idle.read(), 'connection')).toBeUndefined();
      expect(target.server.isDraining).toBe(false);
      target.server.drain();
      expect(target.server.isDraining).toBe(true);
      busy.write('GET /during HTTP/1.1\r\nHost: x\r\n\r\n');
      const during = await busy.read();
      expect(during.status).toBe(200);
      expect(header(during, 'connection')).toBe('close');
      expect(await busy.isClosedWithin(1000)).toBe(true);
      // Not closed by the drain: its next request is answered, then it closes.
      expect(await idle.isClosedWithin(200)).toBe(false);
      idle.write('GET /next HTTP/1.1\r\nHost: x\r\n\r\n');
      const next = await idle.read();
      expect(next.status).toBe(200);
      expect(header(next, 'connection')).toBe('close');
      // The listener still accepts.
      const fresh = await RawClient.connect(target.port);
      fresh.write('GET /fresh HTTP/1.1\r\nHost: x\r\n\r\n');
      const answer = await fresh.read();
      expect(answer.status).toBe(200);
      expect(header(answer, 'connection')).toBe('close');
      fresh.close();
      await target.server.close(1000);
      await expect(RawClient.connect(target.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      idle.close();
      busy.close();
    }
  });

  it('a request in progress when the drain begins is answered with Connection: close', async () => {
    let release: (() => void) | null = null;
    const target = await startServer({
      handler: (_request: HttpRequest, sink: ResponseSink) => {
        release = () => sink.send(200, 'Content-Type: text/plain\r\n', 'late');
      },
    });
    const client = await RawClient.connect(target.port);
    try {
      client.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
      for (let i = 0; i < 100 && release === null; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      target.server.drain();
      (release as (() => void) | null)?.();
      const response = await client.read();
      expect(response.status).toBe(200);
      expect(header(response, 'connection')).toBe('close');
      expect(await client.isClosedWithin(1000)).toBe(true);
    } finally {
      client.close();
      await target.stop();
    }
  });
});
