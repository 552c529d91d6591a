import type { SegmentPart, SegmentPattern } from '../template/parse-template.js';
import {
  convertValue,
  isDotSegment,
  type ParamValue,
  restValue,
  type TypeCode,
} from '../template/placeholder-types.js';

/**
 * A radix tree of path templates. Static text (across `/`) is stored compressed in node
 * prefixes, children indexed by their first char code, so a lookup walks the path by index
 * and slices nothing but captured values. Dynamic segments (`{id:int}`, `file-{id:int}.json`)
 * and the rest capture (`{p:path}`, `*`) hang off the node at the start of their segment.
 *
 * At each node the static child is tried first, then dynamic segments from most to least
 * specific, then the rest capture, backtracking when a deeper part fails; so the first leaf
 * found is the most specific route for the path. A route without placeholders is a leaf like
 * any other; its binding also finds it by comparing whole paths of its length, which costs less
 * than the walk (`Binding.staticLeaf`; a map keyed by the path would hash every path first).
 * @typeParam L what a route stores at its leaf.
 * @internal
 */
export class RouteNode<L> {
  /**
   * Static children by the char code of their prefix's first character, minus `childBase`:
   * a dense array spanning only the codes in use (`0`-`9` takes ten slots, not 128).
   */
  children: Array<RouteNode<L> | undefined> | null = null;
  /** The char code of `children[0]`. */
  childBase = 0;
  /** Dynamic segments starting here (this node ends with `/`), most specific first. */
  dynamics: DynamicEdge<L>[] | null = null;
  /** The route whose template ends at this node. */
  leaf: L | null = null;
  /** The route whose `{p:path}` or `*` captures what follows this node. */
  rest: L | null = null;
  /** Index of the rest capture's value in the value stack. */
  restIndex = 0;

  /** The static text this node consumes (empty for the root and edge targets). */
  prefix: string;
  /**
   * The char codes of {@link prefix}: the walk compares the path with these, which costs half
   * of reading both strings (each `charCodeAt` checks its string's representation first).
   */
  codes: readonly number[];

  /** @param prefix the static text this node consumes (empty for the root and edge targets). */
  constructor(prefix = '') {
    this.prefix = prefix;
    this.codes = codesOf(prefix);
  }

  /** Sets {@link prefix} and its {@link codes}. */
  setPrefix(prefix: string): void {
    this.prefix = prefix;
    this.codes = codesOf(prefix);
  }

  /**
   * Adds a template's segments below this node, the root: it stands for the path's leading
   * `/`, so the first segment's text is the first static text.
   * @returns `null`, or the leaf already registered for the same segments (same requests,
   *   same specificity), which the caller reports; nothing is added then.
   */
  insert(segments: readonly SegmentPattern[], leaf: L): L | null {
    let node: RouteNode<L> = this;
    let text = '';
    let valueIndex = 0;
    // The root stands for the path's leading `/` (every request path has one): the first
    // segment's text follows it directly, so a lookup starts after it, one node further on.
    let isFirst = true;
    for (const segment of segments) {
      if (isFirst) isFirst = false;
      else text += '/';
      if (segment.kind === 'static') {
        text += segment.text;
        continue;
      }
      node = node.#insertStatic(text);
      text = '';
      if (segment.kind === 'rest') {
        if (node.rest !== null) return node.rest;
        node.rest = leaf;
        node.restIndex = valueIndex;
        return null;
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
    node = node.#insertStatic(text);
    if (node.leaf !== null) return node.leaf;
    node.leaf = leaf;
    return null;
  }

  /** Follows or creates static nodes for `text`, splitting a prefix where it diverges. */
  #insertStatic(text: string): RouteNode<L> {
    let node: RouteNode<L> = this;
    let i = 0;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      let child = node.childAt(code);
      if (child === undefined) {
        child = new RouteNode<L>(text.slice(i));
        node.#setChild(code, child);
        return child;
      }
      const prefix = child.prefix;
      let k = 0;
      while (k < prefix.length && i + k < text.length && prefix.charCodeAt(k) === text.charCodeAt(i + k)) k++;
      if (k < prefix.length) {
        const split = new RouteNode<L>(prefix.slice(0, k));
        child.setPrefix(prefix.slice(k));
        split.#setChild(child.prefix.charCodeAt(0), child);
        node.#setChild(code, split);
        child = split;
      }
      node = child;
      i += k;
    }
    return node;
  }

  /** The static child whose prefix starts with char code `code`. */
  childAt(code: number): RouteNode<L> | undefined {
    const children = this.children;
    if (children === null) return undefined;
    const slot = code - this.childBase;
    return slot >= 0 && slot < children.length ? children[slot] : undefined;
  }

  #setChild(code: number, child: RouteNode<L>): void {
    if (this.children === null) {
      this.children = [child];
      this.childBase = code;
      return;
    }
    if (code < this.childBase) {
      const grown = new Array<RouteNode<L> | undefined>(this.childBase - code).fill(undefined);
      this.children = [...grown, ...this.children];
      this.childBase = code;
    }
    while (code - this.childBase >= this.children.length) this.children.push(undefined);
    this.children[code - this.childBase] = child;
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
 * Finds the most specific leaf for `path[start..]`, `node`'s prefix being matched up to
 * `start`, writing converted placeholder values into `values`. `path` is canonical (see
 * `normalizeRequestPath`). Hot: runs for every request that no static route answers.
 * @internal
 */
export function findLeaf<L>(node: RouteNode<L>, path: string, start: number, values: ParamValue[]): L | null {
  const length = path.length;
  while (true) {
    if (start === length && node.leaf !== null) return node.leaf;
    let next: RouteNode<L> | undefined;
    const children = node.children;
    if (children !== null && start < length) {
      const slot = path.charCodeAt(start) - node.childBase;
      const child = slot >= 0 && slot < children.length ? children[slot] : undefined;
      if (child !== undefined && hasPrefixAt(path, start, child.codes)) next = child;
    }
    const dynamics = node.dynamics;
    if (dynamics === null && node.rest === null) {
      // Nothing to fall back to at this node: follow the static child without recursing.
      if (next === undefined) return null;
      start += next.prefix.length;
      node = next;
      continue;
    }
    if (next !== undefined) {
      const found = findLeaf(next, path, start + next.prefix.length, values);
      if (found !== null) return found;
    }
    if (dynamics !== null) {
      let end = path.indexOf('/', start);
      if (end === -1) end = length;
      if (!isDotSegment(path, start, end)) {
        const last = dynamics.length - 1;
        let tail: RouteNode<L> | null = null;
        for (let k = 0; k <= last; k++) {
          const edge = dynamics[k] as DynamicEdge<L>;
          if (edge.code !== -1) {
            const value = convertValue(edge.code, path, start, end);
            if (value === undefined) continue;
            values[edge.index] = value;
          } else if (!matchParts(edge.parts, 0, path, start, end, values, edge.index)) {
            continue;
          }
          if (k === last && node.rest === null) {
            // The last alternative at this node: continue the walk here instead of recursing.
            tail = edge.child;
            break;
          }
          const found = findLeaf(edge.child, path, end, values);
          if (found !== null) return found;
        }
        if (tail !== null) {
          node = tail;
          start = end;
          continue;
        }
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
}

/**
 * `path.startsWith(prefix, start)` for a prefix given by its char codes, for the short
 * prefixes of a radix tree; the first character is already known to match (the child was
 * found by it).
 */
function hasPrefixAt(path: string, start: number, codes: readonly number[]): boolean {
  const n = codes.length;
  if (start + n > path.length) return false;
  for (let k = 1; k < n; k++) {
    if (path.charCodeAt(start + k) !== codes[k]) return false;
  }
  return true;
}

/** The char codes of `text`. */
function codesOf(text: string): number[] {
  const codes: number[] = [];
  for (let k = 0; k < text.length; k++) codes.push(text.charCodeAt(k));
  return codes;
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
