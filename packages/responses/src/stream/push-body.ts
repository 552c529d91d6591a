/**
 * The push protocol between a stream whose chunks are published (an {@link SseChannel}
 * subscription) and the transport. Pulling such a stream costs promises per chunk; pushed, a
 * publish writes straight into each socket. Both ends are ours: the transport offers a
 * {@link BodyWriter} to a body that has {@link PUSH_BODY}, and a LimitedStream has it only when
 * its source has {@link PUSH_SOURCE}. Every pushed body is an ordinary async iterable too, so a
 * consumer that only pulls (the fetch and node adapters, the offload channel) still reads it.
 */

/** The transport's side: where a pushed body writes, given once the head is out. */
export interface BodyWriter {
  /**
   * Writes one chunk (one HTTP chunk under chunked coding). `isShared`: the same bytes go to
   * many streams and never change, so their framing may be built once for all of them.
   * @returns the bytes the socket holds unsent after this write
   */
  write(chunk: Uint8Array, isShared: boolean): number;
  /** Ends the body cleanly (the last chunk): the response is complete. */
  end(): void;
  /** Closes the connection at once: the body stays incomplete (a client that does not read). */
  abort(): void;
}

/** Where a pushing source delivers: the LimitedStream that enforces the limits. */
export interface PushTarget {
  /** One chunk, published now. */
  push(chunk: Uint8Array, isShared: boolean): void;
  /** The source has finished: the stream ends cleanly. */
  end(): void;
}

/** A body the transport may let write itself: `body[PUSH_BODY](writer)` starts it. */
export const PUSH_BODY: unique symbol = Symbol.for('bbws.pushBody');
/** A source that can deliver chunks as they are published: `source[PUSH_SOURCE](target)`. */
export const PUSH_SOURCE: unique symbol = Symbol.for('bbws.pushSource');

/** A body with {@link PUSH_BODY}. */
export interface PushBody {
  [PUSH_BODY](writer: BodyWriter): void;
}

/** A source with {@link PUSH_SOURCE}; `return()` on its iterator still ends it. */
export interface PushSource {
  [PUSH_SOURCE](target: PushTarget): void;
}

/** Whether a body (or source) can be pushed. */
export function isPushBody(value: object): value is PushBody {
  return typeof (value as Partial<PushBody>)[PUSH_BODY] === 'function';
}

export function isPushSource(value: object): value is PushSource {
  return typeof (value as Partial<PushSource>)[PUSH_SOURCE] === 'function';
}
