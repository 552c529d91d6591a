import { createRequire } from 'node:module';
import fc from 'fast-check';
import type pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { PINO_LEVEL_VALUES } from '../src/logging/log-levels.js';
import { SinkRouter } from '../src/logging/log-sinks.js';

const realPino = createRequire(import.meta.url)('pino') as typeof pino;

/** The line pino itself writes for `logger[level](text)`, with the hub's pino options. */
function pinoLine(level: keyof typeof PINO_LEVEL_VALUES, scope: string, text: string): string {
  const lines: string[] = [];
  const destination = { write: (line: string) => lines.push(line) };
  const root = realPino(
    { level: 'debug', customLevels: PINO_LEVEL_VALUES, useOnlyCustomLevels: true, base: undefined },
    destination,
  );
  const logger = scope === '' ? root : root.child({ scope });
  (logger as unknown as Record<string, (text: string) => void>)[level]?.(text);
  return lines.join('');
}

function ourLine(level: keyof typeof PINO_LEVEL_VALUES, scope: string, text: string): string {
  const router = new SinkRouter();
  const lines: string[] = [];
  router.sinks.push({
    mask: -1,
    destination: { write: (l) => lines.push(l) },
    flush() {},
    close: async () => {},
  });
  router.writeText(PINO_LEVEL_VALUES[level], scope, text);
  return lines.join('');
}

// Text without lone surrogates: pino writes one raw in a short message, JSON.stringify escapes it.
const wellFormedText = fc.string({ unit: 'grapheme', maxLength: 80 });
const anyLevel = fc.constantFrom(...(Object.keys(PINO_LEVEL_VALUES) as (keyof typeof PINO_LEVEL_VALUES)[]));

describe('text records written without pino', () => {
  it('are the very lines pino writes, byte for byte', () => {
    vi.useFakeTimers({ now: 1_796_000_000_000, toFake: ['Date'] });
    try {
      const samples = ['listening on http://[::]:5000', 'he said "hi"\n\ttab', 'é \u2028 😀', 'x'.repeat(60)];
      for (const text of samples) expect(ourLine('info', '', text)).toBe(pinoLine('info', '', text));
      fc.assert(
        fc.property(
          anyLevel,
          fc.constantFrom('', '127.0.0.1:5000::a.example', '[::1]::'),
          wellFormedText,
          (level, scope, text) => {
            expect(ourLine(level, scope, text)).toBe(pinoLine(level, scope, text));
          },
        ),
        { numRuns: 500 },
      );
    } finally {
      vi.useRealTimers();
    }
  });
});
