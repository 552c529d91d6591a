/** Where a JSON text stops being JSON: 0-based offset, 1-based line and column. */
export interface JsonErrorPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/**
 * Finds the first offset at which `text` is not valid JSON (RFC 8259), or `null` when it is.
 * `JSON.parse` says *what* is wrong, but on Node 20 not always *where* ("Unexpected token
 * 'a', "abc" is not valid JSON"); this scanner supplies the position for the error message.
 */
export function findJsonErrorPosition(text: string): JsonErrorPosition | null {
  const scanner = new JsonScanner(text);
  const offset = scanner.firstErrorOffset();
  return offset === -1 ? null : positionOf(text, offset);
}

/** Line and column (1-based) of a 0-based offset. */
export function positionOf(text: string, offset: number): JsonErrorPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;

/** A validating recursive-descent scanner; it builds nothing, it only advances `#at`. */
class JsonScanner {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  firstErrorOffset(): number {
    if (!this.#value()) return this.#at;
    this.#space();
    return this.#at === this.#text.length ? -1 : this.#at;
  }

  #space(): void {
    const text = this.#text;
    while (this.#at < text.length) {
      const c = text.charCodeAt(this.#at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.#at++;
    }
  }

  #value(): boolean {
    this.#space();
    const c = this.#text[this.#at];
    if (c === '{') return this.#object();
    if (c === '[') return this.#array();
    if (c === '"') return this.#string();
    for (const word of ['true', 'false', 'null']) {
      if (this.#text.startsWith(word, this.#at)) {
        this.#at += word.length;
        return true;
      }
    }
    return this.#sticky(NUMBER);
  }

  #object(): boolean {
    this.#at++; // {
    this.#space();
    if (this.#text[this.#at] === '}') {
      this.#at++;
      return true;
    }
    for (;;) {
      this.#space();
      if (this.#text[this.#at] !== '"' || !this.#string()) return false;
      this.#space();
      if (this.#text[this.#at] !== ':') return false;
      this.#at++;
      if (!this.#value()) return false;
      this.#space();
      const c = this.#text[this.#at];
      if (c === '}') {
        this.#at++;
        return true;
      }
      if (c !== ',') return false;
      this.#at++;
    }
  }

  #array(): boolean {
    this.#at++; // [
    this.#space();
    if (this.#text[this.#at] === ']') {
      this.#at++;
      return true;
    }
    for (;;) {
      if (!this.#value()) return false;
      this.#space();
      const c = this.#text[this.#at];
      if (c === ']') {
        this.#at++;
        return true;
      }
      if (c !== ',') return false;
      this.#at++;
    }
  }

  #string(): boolean {
    this.#at++; // opening quote
    this.#sticky(STRING_BODY);
    if (this.#text[this.#at] !== '"') return false;
    this.#at++;
    return true;
  }

  #sticky(pattern: RegExp): boolean {
    pattern.lastIndex = this.#at;
    const match = pattern.exec(this.#text);
    if (match === null || match[0].length === 0) return false;
    this.#at += match[0].length;
    return true;
  }
}
