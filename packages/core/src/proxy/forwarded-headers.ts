import { isIPv4, isIPv6 } from 'node:net';

/**
 * Reading what proxies write about the client: RFC 7239 `Forwarded`, and the de-facto
 * `X-Forwarded-For`, `X-Forwarded-Proto`, `X-Forwarded-Host`. Pure parsing, strict: a value
 * that can be read two ways is `null` (not used), never a guess.
 * @see docs/proxies.md#trust_proxy
 */

/** One hop a proxy recorded, left (closest to the client) to right. */
export interface ForwardedHop {
  /** The address that connected to that proxy; `null` for `unknown` or an obfuscated node (RFC 7239 §6). */
  readonly address: string | null;
  /** Its port when the header says one (Forwarded only); 0 otherwise. */
  readonly port: number;
  /** `http` or `https`, when this hop says it (Forwarded `proto=`). */
  readonly proto: 'http' | 'https' | null;
  /** The Host this hop received (Forwarded `host=`). */
  readonly host: string | null;
}

/** RFC 9110 tchar, by char code. */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
  TCHAR[c.charCodeAt(0)] = 1;

/**
 * A Host value (RFC 9110 §7.2: uri-host [":" port]): a reg-name or an IP literal in brackets.
 * Commas and semicolons are left out of reg-name: inside a list header they would make the
 * value readable two ways.
 */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+=%]+)(?::\d{1,5})?$/;

/** `http`/`https` in any case; `null` for anything else. */
export function protoOf(value: string): 'http' | 'https' | null {
  const lower = value.toLowerCase();
  return lower === 'http' || lower === 'https' ? lower : null;
}

/** A Host value as given, or `null` when it is not one. */
export function hostOf(value: string): string | null {
  if (!HOST.test(value)) return null;
  if (value.charCodeAt(0) === 91 /* [ */ && !isIPv6(value.slice(1, value.indexOf(']')))) return null;
  return value;
}

/** Splits a list header's lines (RFC 9110 §5.3: several lines are one list) into trimmed elements. */
function listElements(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) for (const part of line.split(',')) out.push(part.trim());
  return out;
}

/** `X-Forwarded-For` lines as hops; `null` when an element is empty or not a bare IP address. */
export function parseXForwardedFor(lines: readonly string[]): ForwardedHop[] | null {
  const hops: ForwardedHop[] = [];
  for (const element of listElements(lines)) {
    if (!isIPv4(element) && !isIPv6(element)) return null;
    hops.push({ address: element, port: 0, proto: null, host: null });
  }
  return hops;
}

/**
 * A single-valued `X-Forwarded-Proto` or `X-Forwarded-Host` (one line, no list): the value, or
 * `null` when there are several (which proxy wrote which is unknowable) or it is invalid.
 */
export function singleValue(lines: readonly string[]): string | null {
  if (lines.length !== 1) return null;
  const value = (lines[0] as string).trim();
  return value === '' || value.includes(',') ? null : value;
}

/**
 * `Forwarded` lines (RFC 7239 §4) as hops. `null` when any element breaks the grammar, repeats
 * a parameter, lacks `for`, or has a `for`, `proto` or `host` that is not valid: the whole
 * header is then not used.
 */
export function parseForwarded(lines: readonly string[]): ForwardedHop[] | null {
  const text = lines.join(',');
  const hops: ForwardedHop[] = [];
  let at = 0;
  let params: Record<string, string> = Object.create(null);
  const end = text.length;
  for (;;) {
    at = skipSpace(text, at);
    if (at < end && text.charCodeAt(at) !== 44 /* , */ && text.charCodeAt(at) !== 59 /* ; */) {
      const nameStart = at;
      while (at < end && isTchar(text.charCodeAt(at))) at++;
      if (at === nameStart || text.charCodeAt(at) !== 61 /* = */) return null;
      const name = text.slice(nameStart, at).toLowerCase();
      at++;
      let value: string;
      if (text.charCodeAt(at) === 34 /* " */) {
        const quoted = readQuoted(text, at);
        if (quoted === null) return null;
        value = quoted.value;
        at = quoted.end;
      } else {
        const valueStart = at;
        while (at < end && isTchar(text.charCodeAt(at))) at++;
        if (at === valueStart) return null;
        value = text.slice(valueStart, at);
      }
      if (name in params) return null;
      params[name] = value;
      at = skipSpace(text, at);
    }
    const c = at < end ? text.charCodeAt(at) : -1;
    if (c === 59 /* ; */) {
      at++;
      continue;
    }
    if (c !== 44 /* , */ && c !== -1) return null;
    const hop = hopOf(params);
    if (hop === null) return null;
    hops.push(hop);
    params = Object.create(null);
    if (c === -1) return hops;
    at++;
  }
}

function hopOf(params: Record<string, string>): ForwardedHop | null {
  const node = params.for;
  if (node === undefined) return null;
  const parsed = nodeOf(node);
  if (parsed === null) return null;
  let proto: ForwardedHop['proto'] = null;
  if (params.proto !== undefined) {
    proto = protoOf(params.proto);
    if (proto === null) return null;
  }
  let host: string | null = null;
  if (params.host !== undefined) {
    host = hostOf(params.host);
    if (host === null) return null;
  }
  return { address: parsed.address, port: parsed.port, proto, host };
}

/** RFC 7239 §6 node: IPv4, "[IPv6]", `unknown` or `_obfuscated`, each with an optional `:port`. */
function nodeOf(node: string): { address: string | null; port: number } | null {
  let name: string;
  let portText: string | null = null;
  if (node.charCodeAt(0) === 91 /* [ */) {
    const close = node.indexOf(']');
    if (close === -1) return null;
    name = node.slice(1, close);
    if (!isIPv6(name)) return null;
    const rest = node.slice(close + 1);
    if (rest !== '') {
      if (rest.charCodeAt(0) !== 58 /* : */) return null;
      portText = rest.slice(1);
    }
  } else {
    const colon = node.indexOf(':');
    name = colon === -1 ? node : node.slice(0, colon);
    if (colon !== -1) portText = node.slice(colon + 1);
    if (!isIPv4(name) && name.toLowerCase() !== 'unknown' && !isObfuscated(name)) return null;
  }
  let port = 0;
  if (portText !== null) {
    if (/^\d{1,5}$/.test(portText) && Number(portText) <= 65_535) port = Number(portText);
    else if (!isObfuscated(portText)) return null;
  }
  const address = isIPv4(name) || isIPv6(name) ? name : null;
  return { address, port };
}

/** obfnode / obfport: `_` then ALPHA / DIGIT / `.` / `_` / `-`. */
function isObfuscated(text: string): boolean {
  return /^_[A-Za-z0-9._-]+$/.test(text);
}

function readQuoted(text: string, start: number): { value: string; end: number } | null {
  let value = '';
  for (let at = start + 1; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === 34 /* " */) return { value, end: at + 1 };
    if (c === 92 /* \ */) {
      at++;
      if (at >= text.length) return null;
      value += text[at];
      continue;
    }
    // qdtext: no control bytes other than HTAB.
    if ((c < 0x20 && c !== 9) || c === 0x7f) return null;
    value += text[at];
  }
  return null;
}

function isTchar(c: number): boolean {
  return c < 128 && TCHAR[c] === 1;
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}
