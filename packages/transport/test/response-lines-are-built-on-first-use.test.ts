import { STATUS_CODES } from 'node:http';
import { describe, expect, it } from 'vitest';
import { contentLengthLine } from '../src/response/content-length.js';
import { statusLine } from '../src/response/status-lines.js';

// The status and Content-Length lines are cached, but built on first use rather than at load
// (docs/architecture.md, "What start loads"): the same text either way, the same string twice.

describe('the cached response lines', () => {
  it('give the Content-Length line of any length, the same string on the second call', () => {
    for (const n of [0, 1, 9, 10, 4095, 4096, 65_536, 2 ** 40]) {
      expect(contentLengthLine(n)).toBe(`Content-Length: ${n}\r\n`);
      expect(contentLengthLine(n)).toBe(contentLengthLine(n));
    }
  });

  it("give node:http's reason phrase for every status 100-599 and Unknown outside it", () => {
    for (let code = 100; code < 600; code++) {
      expect(statusLine(code)).toBe(`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Unknown'}\r\n`);
    }
    expect(statusLine(200)).toBe('HTTP/1.1 200 OK\r\n');
    for (const code of [0, 99, 600, 1000, 200.5])
      expect(statusLine(code)).toBe(`HTTP/1.1 ${code} Unknown\r\n`);
  });
});
