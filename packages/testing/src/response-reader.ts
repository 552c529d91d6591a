import type { Readable } from 'node:stream';

/** A response as read off the wire. */
export interface RawResponse {
  readonly status: number;
  readonly statusText: string;
  /** Header fields in wire order, names lower-cased. */
  readonly headerList: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

/** Collects the bytes a stream emits and lets a reader wait for more. */
export class ByteReader {
  rest: Buffer = Buffer.alloc(0);
  #chunks: Buffer[] = [];
  #ended = false;
  #waiter: (() => void) | null = null;

  constructor(stream: Readable) {
    stream.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#wake();
    });
    stream.on('end', () => {
      this.#ended = true;
      this.#wake();
    });
    stream.on('close', () => {
      this.#ended = true;
      this.#wake();
    });
  }

  /** Whether the peer closed and every byte was taken. */
  get isDone(): boolean {
    return this.#ended && this.#chunks.length === 0;
  }

  /** The next chunk, or `null` once the stream ended. */
  async next(): Promise<Buffer | null> {
    while (this.#chunks.length === 0) {
      if (this.#ended) return null;
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
    }
    return this.#chunks.shift() ?? null;
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.();
  }
}

/**
 * Reads one HTTP/1.1 response (Content-Length, chunked, or until close). Bytes after the
 * response stay in `reader.rest` for the next read on a kept-alive stream.
 */
export async function readResponse(reader: ByteReader, isHead = false): Promise<RawResponse> {
  let buf = reader.rest;
  const more = async (): Promise<boolean> => {
    const chunk = await reader.next();
    if (chunk === null) return false;
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    return true;
  };
  let headEnd = buf.indexOf('\r\n\r\n');
  while (headEnd === -1) {
    if (!(await more()))
      throw new Error(`connection closed before a response head (${buf.length} bytes read)`);
    headEnd = buf.indexOf('\r\n\r\n');
  }
  const lines = buf.toString('latin1', 0, headEnd).split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[0] ?? '');
  if (statusLine === null) throw new Error(`malformed status line ${JSON.stringify(lines[0])}`);
  const status = Number(statusLine[1]);
  const headerList: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headerList.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]);
  }
  const get = (name: string) => headerList.find(([n]) => n === name)?.[1];
  buf = buf.subarray(headEnd + 4);
  let body: Buffer;
  const noBody = isHead || status === 204 || status === 304 || (status >= 100 && status < 200);
  const length = get('content-length');
  if (noBody) {
    body = Buffer.alloc(0);
  } else if (get('transfer-encoding')?.toLowerCase() === 'chunked') {
    const parts: Buffer[] = [];
    for (;;) {
      let lineEnd = buf.indexOf('\r\n');
      while (lineEnd === -1) {
        if (!(await more())) throw new Error('connection closed inside a chunk size line');
        lineEnd = buf.indexOf('\r\n');
      }
      const size = Number.parseInt(buf.toString('latin1', 0, lineEnd), 16);
      buf = buf.subarray(lineEnd + 2);
      if (size === 0) {
        let trailerEnd = buf.indexOf('\r\n');
        while (trailerEnd !== 0) {
          if (trailerEnd > 0) {
            buf = buf.subarray(trailerEnd + 2);
          } else if (!(await more())) {
            throw new Error('connection closed inside trailers');
          }
          trailerEnd = buf.indexOf('\r\n');
        }
        buf = buf.subarray(2);
        break;
      }
      while (buf.length < size + 2) {
        if (!(await more())) throw new Error('connection closed inside a chunk');
      }
      parts.push(Buffer.from(buf.subarray(0, size)));
      buf = buf.subarray(size + 2);
    }
    body = Buffer.concat(parts);
  } else if (length !== undefined) {
    const n = Number(length);
    while (buf.length < n) {
      if (!(await more())) throw new Error(`connection closed after ${buf.length} of ${n} body bytes`);
    }
    body = Buffer.from(buf.subarray(0, n));
    buf = buf.subarray(n);
  } else {
    while (await more()) {}
    body = buf;
    buf = Buffer.alloc(0);
  }
  reader.rest = buf;
  return { status, statusText: statusLine[2] ?? '', headerList, body };
}
