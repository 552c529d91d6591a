import { afterEach, describe, expect, it } from 'vitest';
import { echoed, RawClient, startServer, type TestServer } from './support/servers.js';

// Issue 11, bug 1: the repeated-head shortcut kept the first request's own headers array as
// the template of every later identical head on the connection, so a handler that edited
// `request.headers` in place changed what the next request saw.

let target: TestServer | null = null;
afterEach(async () => {
  await target?.stop();
  target = null;
});

const HEAD = 'GET /me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\n\r\n';

describe('a request owns its data: no cache aliases what a handler received', () => {
  it('a handler that redacts and adds headers in place does not change the next identical request', async () => {
    const seen: string[][] = [];
    target = await startServer({
      handler: (request, sink) => {
        seen.push([...request.headers]);
        const headers = request.headers as string[];
        const at = headers.indexOf('authorization');
        if (at !== -1) headers[at + 1] = 'redacted';
        headers.push('x-session', 'checked');
        sink.send(200, '', 'ok');
      },
    });
    const client = await RawClient.connect(target.port);
    try {
      for (let i = 0; i < 4; i++) {
        client.write(HEAD);
        expect((await client.read()).status).toBe(200);
      }
    } finally {
      client.close();
    }
    expect(seen).toHaveLength(4);
    for (const headers of seen) {
      expect(headers).toEqual(['host', 'x', 'authorization', 'Bearer secret']);
    }
  });

  it('requests on one connection get endpoints no handler can change for the next', async () => {
    target = await startServer({
      handler: (request, sink) => {
        let changed = true;
        try {
          (request.endpoint as { domain: string }).domain = 'evil.example';
        } catch {
          changed = false;
        }
        sink.send(200, '', JSON.stringify({ changed, domain: request.endpoint.domain }));
      },
    });
    const client = await RawClient.connect(target.port);
    try {
      for (let i = 0; i < 3; i++) {
        client.write('GET / HTTP/1.1\r\nHost: app.example\r\n\r\n');
        const answer = JSON.parse((await client.read()).body.toString());
        expect(answer).toEqual({ changed: false, domain: 'app.example' });
      }
    } finally {
      client.close();
    }
  });

  it('the echo of a repeated head equals the first parse', async () => {
    target = await startServer();
    const client = await RawClient.connect(target.port);
    try {
      client.write(HEAD + HEAD);
      const first = echoed(await client.read());
      const second = echoed(await client.read());
      expect(second).toEqual(first);
    } finally {
      client.close();
    }
  });
});
