import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { ResponsesError, SseEvent } from '../src/index.js';

function parse(text: string): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  parser.feed(text);
  return events;
}

describe('SseEvent', () => {
  it('writes event, id, retry and data fields', () => {
    expect(new SseEvent('hello', { event: 'greet', id: '7', retry: 1000 }).toString()).toBe(
      'event: greet\nid: 7\nretry: 1000\ndata: hello\n\n',
    );
  });

  it('splits multi-line data into data lines, any line break', () => {
    const text = new SseEvent('a\nb\r\nc\rd').toString();
    expect(text).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n');
    expect(parse(text)[0]?.data).toBe('a\nb\nc\nd');
  });

  it('cannot be used to inject a second event through data', () => {
    const events = parse(new SseEvent('x\n\nevent: admin\ndata: pwned').toString());
    expect(events).toHaveLength(1);
    expect(events[0]?.event).toBeUndefined();
    expect(events[0]?.data).toBe('x\n\nevent: admin\ndata: pwned');
  });

  it.each([
    [{ event: 'a\nb' }],
    [{ event: 'a\rb' }],
    [{ id: '1\r\ndata: x' }],
    [{ id: 'a\0b' }],
    [{ retry: -1 }],
    [{ retry: 1.5 }],
  ])('refuses %j with BBWS_ERR_SSE_FIELD', (options) => {
    let code: string | undefined;
    try {
      new SseEvent('x', options as never);
    } catch (error) {
      code = (error as ResponsesError).code;
    }
    expect(code).toBe('BBWS_ERR_SSE_FIELD');
  });

  it('sends non-string data as JSON and round-trips through an independent parser', () => {
    const bytes = new SseEvent({ n: 1, s: 'caf\u00e9' }, { event: 'tick', id: '42' }).toBytes();
    const [event] = parse(Buffer.from(bytes).toString('utf8'));
    expect(event).toEqual({ event: 'tick', id: '42', data: '{"n":1,"s":"caf\u00e9"}' });
  });

  it('writes comments that parsers ignore (heartbeats)', () => {
    const text =
      Buffer.from(SseEvent.comment('ping\nline2')).toString() + Buffer.from(SseEvent.comment()).toString();
    expect(text).toBe(': ping\n: line2\n\n:\n\n');
    expect(parse(text)).toEqual([]);
  });
});
