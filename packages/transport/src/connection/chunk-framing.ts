/**
 * Chunked-coding frames for streamed bodies. A chunk that many streams share (an SseChannel
 * event) is framed once into one buffer, which every socket then writes whole; other chunks
 * get their size line from a small table and are written as three pieces, without a copy.
 */

const CRLF = Buffer.from('\r\n', 'latin1');
/** Size lines of chunks up to this many bytes are kept, one buffer per size. */
const SIZE_LINES_KEPT = 4096;
const sizeLines: (Buffer | undefined)[] = [];

/** `<hex size>\r\n` of a chunk. */
export function chunkSizeLine(size: number): Buffer {
  if (size >= SIZE_LINES_KEPT) return Buffer.from(`${size.toString(16)}\r\n`, 'latin1');
  let line = sizeLines[size];
  if (line === undefined) {
    line = Buffer.from(`${size.toString(16)}\r\n`, 'latin1');
    sizeLines[size] = line;
  }
  return line;
}

/** The chunk terminator. */
export const CHUNK_END: Buffer = CRLF;

/** The shared chunk framed last, and its frame: a publish to many streams frames once. */
let lastShared: Uint8Array | null = null;
let lastFramed: Buffer = CRLF;

/**
 * The whole frame (`size\r\n`, bytes, `\r\n`) of a chunk that never changes once written:
 * built once and handed to every stream that writes the same chunk next.
 */
export function sharedFrame(chunk: Uint8Array): Buffer {
  if (chunk === lastShared) return lastFramed;
  const line = chunkSizeLine(chunk.byteLength);
  const framed = Buffer.allocUnsafe(line.byteLength + chunk.byteLength + 2);
  line.copy(framed, 0);
  framed.set(chunk, line.byteLength);
  framed[framed.byteLength - 2] = 13;
  framed[framed.byteLength - 1] = 10;
  lastShared = chunk;
  lastFramed = framed;
  return framed;
}
