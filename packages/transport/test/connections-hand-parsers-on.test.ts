import { afterEach, describe, expect, it } from 'vitest';
import type { BodyStreamPolicy, RequestHandler } from '../src/index.js';
import { echoed, echoHandler, exchange, RawClient, startServer, type TestServer } from './support/servers.js';

// Issue 15: a connection lets go of its parser after its first answer (nothing buffered), and
// the listener keeps it for the next connection that needs one. So one parser reads requests of
// many connections in turn: each connection's requests must read exactly as with a new parser,
// whatever the connection before left behind (a body, a chunked body, a streamed body, a
// refused head, other headers), and a streamed body must be decided for its own connection.

let target: TestServer | null = null;
afterEach(async () => {
  await target?.stop();
  target = null;
});

/** A request on a new connection; returns what the server read. */
async function oneShot(port: number, bytes: string) {
  const { response } = await exchange(port, bytes, '127.0.0.1', 0);
  return response;
}

describe('a parser handed from one connection to the next', () => {
  it('reads every connection’s requests as a new parser does, whatever came before', async () => {
    target = await startServer({ limits: { maxBodyBytes: 4096 } });
    const port = target.port;
    for (let round = 0; round < 3; round++) {
      const withBody = echoed(
        await oneShot(port, `POST /a?r=${round} HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\n\r\nhello`),
      );
      expect(withBody).toMatchObject({ method: 'POST', path: '/a', query: `r=${round}`, body: 'hello' });
      expect(withBody.endpoint.domain).toBe('a.test');

      const chunked = echoed(
        await oneShot(
          port,
          'PUT /b HTTP/1.1\r\nHost: b.test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n',
        ),
      );
      expect(chunked).toMatchObject({ method: 'PUT', path: '/b', body: 'abcde' });
      expect(chunked.endpoint.domain).toBe('b.test');

      // A refused head: its connection closes, its parser is not handed on.
      const refused = await oneShot(port, 'GET /c HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n');
      expect(refused.status).toBe(400);

      // A bare GET after all that: no body, no Host of the connection before, its own headers.
      const bare = echoed(await oneShot(port, 'GET /d HTTP/1.1\r\nHost: d.test\r\nX-Round: r\r\n\r\n'));
      expect(bare).toMatchObject({ method: 'GET', path: '/d', query: '', body: null });
      expect(bare.headers).toEqual(['host', 'd.test', 'x-round', 'r']);
      expect(bare.endpoint.domain).toBe('d.test');
    }
  });

  it('serves the same head repeated on one connection, then another head on the next', async () => {
    target = await startServer();
    const head = 'GET /same HTTP/1.1\r\nHost: s.test\r\nAccept: */*\r\n\r\n';
    const client = await RawClient.connect(target.port);
    for (let i = 0; i < 5; i++) {
      client.write(head);
      expect(echoed(await client.read()).path).toBe('/same');
    }
    client.close();
    const other = echoed(await oneShot(target.port, 'GET /other HTTP/1.1\r\nHost: o.test\r\n\r\n'));
    expect(other.path).toBe('/other');
    expect(other.headers).toEqual(['host', 'o.test']);
  });

  it('decides a streamed body for the connection it now reads, not the one before', async () => {
    const decided: string[] = [];
    const policy: BodyStreamPolicy = (_method, path, endpoint) => {
      decided.push(`${path} ${endpoint.domain}`);
      return path === '/upload' ? 1024 : -1;
    };
    const handler: RequestHandler = Object.assign(
      (request: Parameters<RequestHandler>[0], sink: Parameters<RequestHandler>[1]) => {
        const stream = request.bodyStream;
        if (stream === null || stream === undefined) {
          echoHandler(request, sink);
          return;
        }
        const pieces: Buffer[] = [];
        stream.on('data', (piece: Buffer) => pieces.push(piece));
        stream.on('end', () =>
          sink.send(
            200,
            '',
            `streamed ${Buffer.concat(pieces).toString('latin1')} ${request.endpoint.domain}`,
          ),
        );
      },
      { bodyStreamLimit: policy },
    );
    target = await startServer({ handler });
    for (const host of ['one.test', 'two.test', 'three.test']) {
      const response = await oneShot(
        target.port,
        `POST /upload HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 3\r\n\r\nxyz`,
      );
      expect(response.body.toString('latin1')).toBe(`streamed xyz ${host}`);
      const buffered = echoed(
        await oneShot(target.port, `POST /form HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\n\r\nok`),
      );
      expect(buffered.body).toBe('ok');
    }
    expect(decided).toEqual([
      '/upload one.test',
      '/form one.test',
      '/upload two.test',
      '/form two.test',
      '/upload three.test',
      '/form three.test',
    ]);
  });
});
