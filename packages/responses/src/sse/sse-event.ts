import { ResponsesError } from '../errors.js';

/** Options of {@link SseEvent}. */
export interface SseEventOptions {
  /** Event type (`event:` field); the client's `addEventListener(type)` receives it. */
  readonly event?: string;
  /** Event id (`id:` field); the client sends it back as `Last-Event-ID` when it reconnects. */
  readonly id?: string;
  /** Reconnection delay in milliseconds (`retry:` field), a non-negative integer. */
  readonly retry?: number;
}

/** Any line break the event-stream grammar knows: CRLF, LF or a lone CR. */
const LINE_BREAK = /\r\n|\r|\n/;
const HAS_BREAK = /[\r\n]/;

/**
 * One Server-Sent Event. `data` may span lines: each line becomes its own `data:` field, so
 * the client gets the text back with `\n` between lines. `event` and `id` are checked: a CR or
 * LF there would start a new field or event, so it is refused (and NUL in `id`, which the
 * client ignores the field for).
 * @example `yield new SseEvent(JSON.stringify(tick), { event: 'tick', id: String(n) }).toBytes()`
 * @throws ResponsesError `BBWS_ERR_SSE_FIELD`
 * @see docs/responses.md#server-sent-events
 */
export class SseEvent {
  readonly data: string;
  readonly event: string | null;
  readonly id: string | null;
  readonly retry: number | null;

  /** `data` that is not a string is sent as JSON. */
  constructor(data: unknown, options: SseEventOptions = {}) {
    this.data = typeof data === 'string' ? data : (JSON.stringify(data) ?? '');
    this.event = checkField('event', options.event);
    this.id = checkField('id', options.id);
    if (this.id?.includes('\0')) {
      throw new ResponsesError(
        'BBWS_ERR_SSE_FIELD',
        `SSE id ${JSON.stringify(this.id)} holds a NUL character`,
      );
    }
    const retry = options.retry;
    if (retry !== undefined && (!Number.isSafeInteger(retry) || retry < 0)) {
      throw new ResponsesError(
        'BBWS_ERR_SSE_FIELD',
        `SSE retry must be a non-negative integer, got ${String(retry)}`,
      );
    }
    this.retry = retry ?? null;
  }

  /** The event in `text/event-stream` format, ending with the blank line that dispatches it. */
  toString(): string {
    let out = '';
    if (this.event !== null) out += `event: ${this.event}\n`;
    if (this.id !== null) out += `id: ${this.id}\n`;
    if (this.retry !== null) out += `retry: ${this.retry}\n`;
    for (const line of this.data.split(LINE_BREAK)) out += `data: ${line}\n`;
    return `${out}\n`;
  }

  /** The event as UTF-8 bytes, ready to yield from a StreamResponse source. */
  toBytes(): Uint8Array {
    return Buffer.from(this.toString(), 'utf8');
  }

  /**
   * A comment line (`: text`), which clients ignore: a heartbeat that keeps proxies from
   * closing an idle stream. Line breaks in `text` start further comment lines.
   */
  static comment(text = ''): Uint8Array {
    let out = '';
    for (const line of text.split(LINE_BREAK)) out += line === '' ? ':\n' : `: ${line}\n`;
    return Buffer.from(`${out}\n`, 'utf8');
  }
}

function checkField(name: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || HAS_BREAK.test(value)) {
    throw new ResponsesError(
      'BBWS_ERR_SSE_FIELD',
      `SSE ${name} ${JSON.stringify(value)} is not a string or holds CR/LF, which would start a new field`,
    );
  }
  return value;
}
