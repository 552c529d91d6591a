import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Router } from '../src/index.js';
import { endpoint } from './support/endpoint.js';

/**
 * A property test against a deliberately naive model of the rules: split the path, test every
 * route, keep the most specific by (binding score, then segment ranks from the left).
 */
type Seg = 'a' | 'b' | 'int' | 'str' | 'rest';
const RANK: Record<Seg, number> = { a: 0, b: 0, int: 1, str: 3, rest: 9 };

interface ModelRoute {
  readonly method: 'GET' | 'POST';
  readonly binding: 'global' | 'ip';
  readonly segments: readonly Seg[];
}

function templateOf(segments: readonly Seg[]): string {
  return `/${segments
    .map((s, k) => (s === 'a' || s === 'b' ? s : s === 'rest' ? `{r${k}:path}` : `{p${k}:${s}}`))
    .join('/')}`;
}

function modelMatches(segments: readonly Seg[], path: string): boolean {
  const parts = path.slice(1).split('/');
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k] as Seg;
    if (seg === 'rest')
      return parts.length >= k + 1 && parts.slice(k).every((p, i, all) => p !== '' || i === all.length - 1);
    const part = parts[k];
    if (part === undefined) return false;
    if ((seg === 'a' || seg === 'b') && part !== seg) return false;
    if (seg === 'int' && !/^-?\d+$/.test(part)) return false;
    if (seg === 'str' && part === '') return false;
  }
  return parts.length === segments.length;
}

function compare(a: ModelRoute, b: ModelRoute): number {
  const score = (r: ModelRoute) => (r.binding === 'ip' ? 1 : 0);
  if (score(a) !== score(b)) return score(b) - score(a);
  for (let k = 0; k < Math.min(a.segments.length, b.segments.length); k++) {
    const d = RANK[a.segments[k] as Seg] - RANK[b.segments[k] as Seg];
    if (d !== 0) return d;
  }
  return 0;
}

const segment = fc.constantFrom<Seg>('a', 'b', 'int', 'str', 'rest');
const segments = fc
  .array(segment, { minLength: 1, maxLength: 3 })
  .map((list) => (list.includes('rest') ? [...list.slice(0, list.indexOf('rest')), 'rest' as const] : list));
const route = fc.record({
  method: fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
  binding: fc.constantFrom<'global' | 'ip'>('global', 'ip'),
  segments,
});
const path = fc
  .array(fc.constantFrom('a', 'b', '7', '-3', 'x', ''), { minLength: 1, maxLength: 4 })
  .map((parts) => `/${parts.join('/')}`);

describe('the router agrees with a naive model of the specificity rules', () => {
  it('finds the most specific matching route, or none', () => {
    fc.assert(
      fc.property(
        fc.array(route, { maxLength: 12 }),
        fc.array(path, { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (routes, paths, fromIp) => {
          const router = new Router<number>();
          const kept: ModelRoute[] = [];
          for (const r of routes) {
            const selector = `${r.binding === 'ip' ? '127.0.0.1' : ''}::${templateOf(r.segments)}`;
            const duplicate = kept.some(
              (k) =>
                k.method === r.method &&
                k.binding === r.binding &&
                templateOf(k.segments).replace(/\{\w+:/g, '{') ===
                  templateOf(r.segments).replace(/\{\w+:/g, '{'),
            );
            if (duplicate) {
              expect(() => router.add(r.method, selector, -1)).toThrow(/ambiguous/);
            } else {
              router.add(r.method, selector, kept.length);
              kept.push(r);
            }
          }
          const ep = endpoint(fromIp ? '127.0.0.1' : '10.0.0.1');
          for (const p of paths) {
            const candidates = kept
              .map((r, index) => ({ r, index }))
              .filter(
                ({ r }) =>
                  r.method === 'GET' && (r.binding === 'global' || fromIp) && modelMatches(r.segments, p),
              )
              .sort((x, y) => compare(x.r, y.r));
            const result = router.match('GET', p, ep);
            if (candidates.length === 0) {
              expect(result.kind).not.toBe('found');
            } else {
              expect(result.kind).toBe('found');
              if (result.kind === 'found')
                expect(
                  compare(kept[result.value] as ModelRoute, (candidates[0] as { r: ModelRoute }).r),
                ).toBe(0);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
