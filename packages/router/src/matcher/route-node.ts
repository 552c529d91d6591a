import type { SegmentPart, SegmentPattern } from '../template/parse-template.js';
import {
  convertValue,
  isDotSegment,
  type ParamValue,
  restValue,
  type TypeCode,
} from '../template/placeholder-types.js';

/**
 * A segment trie of path templates: one node per segment position. Children are tried in
 * specificity order (static text, then dynamic segments from most to least specific, then the
 * rest capture), backtracking when a deeper segment fails, so the first leaf found is the most
 * specific route for the path. Templates without placeholders never enter the trie; the router
 * keeps them in a map keyed by the whole path.
 * @typeParam L what a route stores at its leaf.
 * @internal
 */
export class RouteNode<L> {
  /** Static child segments by canonical text. */
  statics: Map<string, RouteNode<L>> | null = null;
  /** Dynamic child segments, most specific first. */
  dynamics: DynamicEdge<L>[] | null = null;
  /** The route whose template ends at this node. */
  leaf: L | null = null;
  /** The route whose `{p:path}` or `*` captures what follows this node. */
  rest: L | null = null;
  /** Index of the rest capture's value in the value stack. */
  restIndex = 0;

  /**
   * Adds a template's segments below this node.
   * @returns `null`, or the leaf already registered for the same segments (same requests,
   *   same specificity), which the caller reports; nothing is added then.
   */
  insert(segments: readonly SegmentPattern[], leaf: L): L | null {
    let node: RouteNode<L> = this;
    let valueIndex = 0;
    for (const segment of segments) {
      if (segment.kind === 'rest') {
        if (node.rest !== null) return node.rest;
        node.rest = leaf;
        node.restIndex = valueIndex;
        return null;
      }
      if (segment.kind === 'static') {
        node.statics ??= new Map();
        let child = node.statics.get(segment.text);
        if (child === undefined) {
          child = new RouteNode<L>();
          node.statics.set(segment.text, child);
        }
        node = child;
        continue;
      }
      node.dynamics ??= [];
      let edge = node.dynamics.find((e) => e.signature === segment.signature);
      if (edge === undefined) {
        edge = new DynamicEdge<L>(segment.signature, segment.parts, segment.literalLength, valueIndex);
        node.dynamics.push(edge);
        node.dynamics.sort(compareEdges);
      }
      for (const part of segment.parts) if (part.kind === 'placeholder') valueIndex++;
      node = edge.child;
    }
    if (node.leaf !== null) return node.leaf;
    node.leaf = leaf;
    return null;
  }
}

/** An edge to a child for one dynamic segment pattern (`{id:int}`, `file-{id:int}.json`). @internal */
export class DynamicEdge<L> {
  readonly child = new RouteNode<L>();
  /** The type code when the segment is one placeholder and nothing else; -1 when it mixes literals. */
  readonly code: TypeCode | -1;
  /** Type codes of the placeholders, in order (specificity tie-break). */
  readonly codes: readonly TypeCode[];
  readonly order: number;

  static #created = 0;

  constructor(
    readonly signature: string,
    readonly parts: readonly SegmentPart[],
    readonly literalLength: number,
    /** Index of the segment's first value in the value stack. */
    readonly index: number,
  ) {
    const first = parts[0];
    this.code = parts.length === 1 && first !== undefined && first.kind === 'placeholder' ? first.code : -1;
    this.codes = parts.flatMap((p) => (p.kind === 'placeholder' ? [p.code] : []));
    this.order = DynamicEdge.#created++;
  }
}

/**
 * Specificity order of dynamic segments: more literal characters first; then, placeholder by
 * placeholder, the narrower type (int, bool, float, str); then registration order.
 */
function compareEdges<L>(a: DynamicEdge<L>, b: DynamicEdge<L>): number {
  if (a.literalLength !== b.literalLength) return b.literalLength - a.literalLength;
  const n = Math.min(a.codes.length, b.codes.length);
  for (let k = 0; k < n; k++) {
    const d = (a.codes[k] as number) - (b.codes[k] as number);
    if (d !== 0) return d;
  }
  return a.order - b.order;
}

/**
 * Finds the most specific leaf below `node` for `path[start..]` (`start` just after a `/`),
 * writing converted placeholder values into `values`. `path` is canonical (see
 * `normalizeRequestPath`). Hot: runs for every request that no static route answers.
 * @internal
 */
export function findLeaf<L>(node: RouteNode<L>, path: string, start: number, values: ParamValue[]): L | null {
  const length = path.length;
  let end = path.indexOf('/', start);
  if (end === -1) end = length;
  const isLast = end === length;
  const statics = node.statics;
  if (statics !== null) {
    const child = statics.get(path.slice(start, end));
    if (child !== undefined) {
      const found = isLast ? child.leaf : findLeaf(child, path, end + 1, values);
      if (found !== null) return found;
    }
  }
  const dynamics = node.dynamics;
  if (dynamics !== null && !isDotSegment(path, start, end)) {
    for (let k = 0; k < dynamics.length; k++) {
      const edge = dynamics[k] as DynamicEdge<L>;
      if (edge.code !== -1) {
        const value = convertValue(edge.code, path, start, end);
        if (value === undefined) continue;
        values[edge.index] = value;
      } else if (!matchParts(edge.parts, 0, path, start, end, values, edge.index)) {
        continue;
      }
      const child = edge.child;
      const found = isLast ? child.leaf : findLeaf(child, path, end + 1, values);
      if (found !== null) return found;
    }
  }
  if (node.rest !== null) {
    const value = restValue(path, start);
    if (value !== undefined) {
      values[node.restIndex] = value;
      return node.rest;
    }
  }
  return null;
}

/**
 * Matches `path[start, end)` against a segment that mixes literals and placeholders. A
 * placeholder followed by a literal ends at the first occurrence of that literal that lets the
 * rest of the segment match (the grammar guarantees a literal between two placeholders).
 */
function matchParts(
  parts: readonly SegmentPart[],
  k: number,
  path: string,
  start: number,
  end: number,
  values: ParamValue[],
  index: number,
): boolean {
  if (k === parts.length) return start === end;
  const part = parts[k] as SegmentPart;
  if (part.kind === 'literal') {
    const text = part.text;
    if (start + text.length > end || !path.startsWith(text, start)) return false;
    return matchParts(parts, k + 1, path, start + text.length, end, values, index);
  }
  if (k + 1 === parts.length) {
    const value = convertValue(part.code, path, start, end);
    if (value === undefined) return false;
    values[index] = value;
    return true;
  }
  const separator = (parts[k + 1] as { readonly text: string }).text;
  let at = path.indexOf(separator, start + 1);
  while (at !== -1 && at + separator.length <= end) {
    const value = convertValue(part.code, path, start, at);
    if (value !== undefined) {
      values[index] = value;
      if (matchParts(parts, k + 2, path, at + separator.length, end, values, index + 1)) return true;
    }
    at = path.indexOf(separator, at + 1);
  }
  return false;
}
