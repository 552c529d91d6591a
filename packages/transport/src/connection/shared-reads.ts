/**
 * Reads of plain TCP sockets into one buffer that every socket shares.
 *
 * A `net.Socket` normally gets a new buffer for each read and hands it on through its
 * Readable stream (`push`, `addChunk`, `emit('data')`, `maybeReadMore`): about 7,000
 * instructions a read, more than the whole parse of a small request (docs/transport.md, "How
 * bytes are read"). Node's `onread` option reads into a buffer the caller provides and calls
 * the callback with the byte count instead; Node offers it for sockets it connects, not for
 * those a server accepts. This module turns it on for an accepted socket: the same two fields
 * the `onread` option sets in the `net.Socket` constructor (found, by value, on a socket made
 * with that option) and `useUserBuffer` on the socket's handle, which is what the constructor
 * calls. Where either is missing (another Node), the socket stays on `data` events.
 *
 * The bytes are valid only during the callback: the next read of any socket writes over them.
 * The parser copies what outlives it (`RequestParser.feedBorrowed` and `detach`).
 */
import { Socket } from 'node:net';

/** Called with `this` the socket: `buf[0, nread)` was read. */
export type SharedReadCallback = (this: Socket, nread: number, buf: Buffer) => void;

/** Node's default size of a read (64 KiB), so a read takes as much as it did before. */
const READ_BYTES = 65_536;

interface OnreadFields {
  readonly buffer: symbol;
  readonly callback: symbol;
}

/** undefined: not looked for yet; null: this Node has not got them. */
let fields: OnreadFields | null | undefined;
let shared: Buffer | null = null;
/** Reads delivered through the shared buffer: for tests that the fast path is taken. */
let sharedReads = 0;

function onreadFields(): OnreadFields | null {
  if (fields !== undefined) return fields;
  fields = null;
  const buffer = Buffer.alloc(1);
  const callback = (): void => {};
  // `onread` is a documented option of net.connect; the constructor is where it is read.
  const probe = new Socket({ onread: { buffer, callback } } as ConstructorParameters<typeof Socket>[0]);
  let bufferField: symbol | undefined;
  let callbackField: symbol | undefined;
  for (const field of Object.getOwnPropertySymbols(probe)) {
    const value = (probe as unknown as Record<symbol, unknown>)[field];
    if (value === buffer) bufferField = field;
    else if (value === callback) callbackField = field;
  }
  probe.destroy();
  if (bufferField !== undefined && callbackField !== undefined)
    fields = { buffer: bufferField, callback: callbackField };
  return fields;
}

interface UserBufferHandle {
  useUserBuffer?: (buffer: Uint8Array) => void;
}

/**
 * Makes `socket`'s reads land in the shared buffer and go to `callback` (as `this` the socket)
 * instead of `data` events; false, and nothing changed, where this Node does not allow it.
 * Bytes already buffered in the socket's stream still come as `data`, before any read.
 */
export function readIntoSharedBuffer(socket: Socket, callback: SharedReadCallback): boolean {
  const handle = (socket as unknown as { _handle?: UserBufferHandle | null })._handle;
  if (handle === null || handle === undefined || typeof handle.useUserBuffer !== 'function') return false;
  const found = onreadFields();
  if (found === null) return false;
  const own = socket as unknown as Record<symbol, unknown>;
  // Set to null by the constructor; anything else means the socket reads some other way.
  if (own[found.buffer] !== null || own[found.callback] !== null) return false;
  shared ??= Buffer.allocUnsafeSlow(READ_BYTES);
  own[found.buffer] = shared;
  own[found.callback] = callback;
  handle.useUserBuffer(shared);
  return true;
}

/** Counts a read that came through the shared buffer. */
export function countSharedRead(): void {
  sharedReads++;
}

/** Reads delivered through the shared buffer so far (internal: for tests). */
export function sharedReadCount(): number {
  return sharedReads;
}
