import http from 'node:http';
import type net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpServer } from '../src/index.js';
import { requestBytes } from './support/request-arbitraries.js';
import { RawClient } from './support/servers.js';

/** Methods RFC 9110 (and RFC 5789) define on a resource: asterisk-form is 400 with them. */
const RESOURCE_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'TRACE', 'PATCH']);

/**
 * Differential test: generated requests go to our transport and to node:http on loopback;
 * both must agree on accept or reject. Every intentional difference is listed here and in
 * docs/http-conformance.md, with the side that rejects: mostly us (strict framing), and
 * node:http where it rejects a request RFC 9112 calls valid.
 */
const INTENTIONAL_DIFFERENCES: ReadonlyArray<{
  readonly name: string;
  /** Which side rejects the request the other one handles. */
  readonly rejectedBy: 'ours' | 'node';
  readonly matches: (request: string) => boolean;
}> = [
  {
    name: 'HTTP major version other than 1 (505; node serves HTTP/2.0 and HTTP/0.9)',
    rejectedBy: 'ours',
    matches: (r) => !/^HTTP\/1\.\d$/.test(requestLine(r)[2] ?? ''),
  },
  {
    name: 'HTTP/1.2 to HTTP/1.9, which we serve as 1.1 (RFC 9110 §6.2); node answers 400',
    rejectedBy: 'node',
    matches: (r) => /^HTTP\/1\.[2-9]$/.test(requestLine(r)[2] ?? ''),
  },
  {
    name: "a method token outside llhttp's fixed method list (RFC 9110 §9.1: any token); node answers 400",
    rejectedBy: 'node',
    matches: (r) => !http.METHODS.includes(requestLine(r)[0] ?? ''),
  },
  {
    name: "a fragment right after an absolute-form authority (RFC 3986 §3.2: '#' ends it); node answers 400",
    rejectedBy: 'node',
    matches: (r) => /^https?:\/\/[^/?]*#/i.test(requestLine(r)[1] ?? ''),
  },
  {
    name: 'asterisk-form with a method RFC 9110 defines on a resource (not OPTIONS)',
    rejectedBy: 'ours',
    matches: (r) => requestLine(r)[1] === '*' && RESOURCE_METHODS.has(requestLine(r)[0] ?? ''),
  },
  {
    name: 'userinfo in an absolute-form target',
    rejectedBy: 'ours',
    matches: (r) => /^https?:\/\/[^/]*@/i.test(requestLine(r)[1] ?? ''),
  },
  {
    name: 'Host value that is not a valid authority',
    rejectedBy: 'ours',
    matches: (r) => headerValues(r, 'host').some((v) => /[^A-Za-z0-9\-._~!$&'()*+,;=%:[\]]/.test(v)),
  },
  {
    name: 'repeated Host in any version',
    rejectedBy: 'ours',
    matches: (r) => headerValues(r, 'host').length > 1,
  },
  {
    name: 'Expect with a member other than 100-continue (417)',
    rejectedBy: 'ours',
    matches: (r) => headerValues(r, 'expect').some((v) => v.toLowerCase() !== '100-continue'),
  },
  {
    name: 'Transfer-Encoding other than one chunked (501 for gzip, chunked; else 400), or in HTTP/1.0',
    rejectedBy: 'ours',
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
      const rejectedBy = a === 'rejected' ? 'ours' : 'node';
      if (INTENTIONAL_DIFFERENCES.some((d) => d.rejectedBy === rejectedBy && d.matches(text))) continue;
      disagreements.push(`ours ${a}, node ${b}: ${JSON.stringify(text)}`);
    }
    expect(disagreements).toEqual([]);
    expect(agreed).toBeGreaterThan(200);
  });
});
