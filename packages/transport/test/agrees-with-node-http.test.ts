import http from 'node:http';
import type net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpServer } from '../src/index.js';
import { requestBytes } from './support/request-arbitraries.js';
import { RawClient } from './support/servers.js';

/**
 * Differential test: generated requests go to our transport and to node:http on loopback;
 * both must agree on accept or reject. Every intentional difference is listed here and in
 * docs/http-conformance.md, and in each one we are the stricter side.
 */
const INTENTIONAL_DIFFERENCES: ReadonlyArray<{
  readonly name: string;
  readonly matches: (request: string) => boolean;
}> = [
  {
    name: 'HTTP version other than 1.0 or 1.1 (505)',
    matches: (r) => !/^HTTP\/1\.[01]$/.test(requestLine(r)[2] ?? ''),
  },
  { name: 'fragment in the request-target', matches: (r) => (requestLine(r)[1] ?? '').includes('#') },
  {
    name: 'asterisk-form outside OPTIONS',
    matches: (r) => requestLine(r)[1] === '*' && requestLine(r)[0] !== 'OPTIONS',
  },
  {
    name: 'userinfo in an absolute-form target',
    matches: (r) => /^https?:\/\/[^/]*@/i.test(requestLine(r)[1] ?? ''),
  },
  {
    name: 'Host value that is not a valid authority',
    matches: (r) => headerValues(r, 'host').some((v) => /[^A-Za-z0-9\-._~!$&'()*+,;=%:[\]]/.test(v)),
  },
  { name: 'repeated Host in any version', matches: (r) => headerValues(r, 'host').length > 1 },
  {
    name: 'Expect with a member other than 100-continue (417)',
    matches: (r) => headerValues(r, 'expect').some((v) => v.toLowerCase() !== '100-continue'),
  },
  {
    name: 'Transfer-Encoding other than one chunked, or in HTTP/1.0',
    matches: (r) => {
      const te = headerValues(r, 'transfer-encoding');
      return (
        te.length > 0 &&
        (te.length > 1 || te[0]?.toLowerCase() !== 'chunked' || requestLine(r)[2] === 'HTTP/1.0')
      );
    },
  },
];

/** Method, target and version of a generated request (split on single spaces). */
function requestLine(request: string): string[] {
  const line = request.replace(/^\r\n/, '').split(/\r?\n/)[0] ?? '';
  return line.split(' ');
}

/** The values of the header lines named `name` in the head (case-insensitive). */
function headerValues(request: string, name: string): string[] {
  const head = request.slice(0, request.indexOf('\r\n\r\n'));
  const values: string[] = [];
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).toLowerCase() === name) values.push(line.slice(colon + 1).trim());
  }
  return values;
}

let ours: HttpServer;
let oursPort = 0;
let node: http.Server;
let nodePort = 0;

beforeAll(async () => {
  ours = new HttpServer({
    handler: (_request, sink) => sink.send(200, 'X-Handled: 1\r\n', 'ok'),
    listeners: [{ ip: '127.0.0.1', port: 0 }],
    limits: { maxBodyBytes: 1 << 20 },
    log: () => {},
  });
  oursPort = (await ours.listen())[0]?.port ?? 0;
  node = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.setHeader('X-Handled', '1');
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  nodePort = (node.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await ours.close(1000);
  await new Promise((resolve) => node.close(resolve));
});

type Verdict = 'accepted' | 'rejected';

/** Sends one request, half-closes, and tells whether a handler answered it. */
async function verdict(port: number, text: string): Promise<Verdict> {
  const client = await RawClient.connect(port);
  try {
    client.write(text);
    client.socket.end();
    for (;;) {
      const response = await client.read(text.startsWith('HEAD') || text.startsWith('\r\nHEAD'));
      if (response.status >= 100 && response.status < 200) continue;
      return response.headerList.some(([name]) => name === 'x-handled') ? 'accepted' : 'rejected';
    }
  } catch {
    return 'rejected';
  } finally {
    client.close();
  }
}

describe('agrees with node:http on accept or reject', () => {
  it('for generated requests, except the listed intentional differences', async () => {
    const samples = fc.sample(requestBytes, { numRuns: 600, seed: 11 });
    const disagreements: string[] = [];
    let agreed = 0;
    for (const text of samples) {
      const [a, b] = await Promise.all([verdict(oursPort, text), verdict(nodePort, text)]);
      if (a === b) {
        agreed++;
        continue;
      }
      const known = INTENTIONAL_DIFFERENCES.find((d) => d.matches(text));
      if (known !== undefined && a === 'rejected') continue;
      disagreements.push(`ours ${a}, node ${b}: ${JSON.stringify(text)}`);
    }
    expect(disagreements).toEqual([]);
    expect(agreed).toBeGreaterThan(200);
  });
});
