import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { echoHandler, RawClient, startServer, type TestServer } from './support/servers.js';

// RFC 9112 §6.1: "A server that receives a request message with a transfer coding it does not
// understand SHOULD respond with 501 (Not Implemented)." A list that is well formed and ends in
// one chunked is such a request: its framing is clear, only the coding under chunked is one we
// do not decode. The connection is closed all the same, since the body is never read.

let handled = 0;
let target: TestServer;
beforeAll(async () => {
  target = await startServer({
    handler: (request, sink) => {
      handled++;
      echoHandler(request, sink);
    },
  });
});
afterAll(() => target.stop());
beforeEach(() => {
  handled = 0;
});

const H = 'POST / HTTP/1.1\r\nHost: x\r\n';
const BODY = '5\r\nhello\r\n0\r\n\r\n';

const cases: Array<[string, string]> = [
  ['gzip, chunked', `${H}Transfer-Encoding: gzip, chunked\r\n\r\n${BODY}`],
  [
    'gzip and chunked on two field lines',
    `${H}Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n${BODY}`,
  ],
  [
    'three codings, any case, tabs around commas',
    `${H}Transfer-Encoding: deflate,\tGZIP ,Chunked\r\n\r\n${BODY}`,
  ],
  [
    'a coding with parameters',
    `${H}Transfer-Encoding: x-custom;level=9 ; mode="a, b", chunked\r\n\r\n${BODY}`,
  ],
  ['identity before chunked', `${H}Transfer-Encoding: identity, chunked\r\n\r\n${BODY}`],
  [
    'with Expect: 100-continue (no 100 first)',
    `${H}Expect: 100-continue\r\nTransfer-Encoding: br, chunked\r\n\r\n`,
  ],
  [
    'in an HTTP/1.2 request (served as 1.1)',
    `POST / HTTP/1.2\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n${BODY}`,
  ],
];

describe('answers 501 and closes for a transfer coding other than chunked under a final chunked', () => {
  it.each(cases)('%s', async (_name, bytes) => {
    const client = await RawClient.connect(target.port);
    try {
      client.write(bytes);
      const response = await client.read();
      expect(response.status).toBe(501);
      expect(response.body.toString()).toBe('Not Implemented');
      expect(response.headerList).toContainEqual(['connection', 'close']);
      expect(await client.isClosedWithin(1000)).toBe(true);
      expect(handled).toBe(0);
    } finally {
      client.close();
    }
  });

  it('runs no request pipelined behind it', async () => {
    const client = await RawClient.connect(target.port);
    try {
      client.write(
        `${H}Transfer-Encoding: gzip, chunked\r\n\r\n${BODY}GET /next HTTP/1.1\r\nHost: x\r\n\r\n`,
      );
      expect((await client.read()).status).toBe(501);
      expect(await client.isClosedWithin(1000)).toBe(true);
      expect(handled).toBe(0);
    } finally {
      client.close();
    }
  });
});
