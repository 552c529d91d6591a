import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { TestingError } from '../errors.js';
import type { TestStreamResponse } from './test-stream-response.js';

/** One server-sent event, as parsed by `eventsource-parser`. */
export interface SseMessage {
  /** The `event:` field; `undefined` when the server sent none (a browser would say `message`). */
  readonly event: string | undefined;
  /** The `id:` field, if any. */
  readonly id: string | undefined;
  /** The `data:` lines joined with `\n`. */
  readonly data: string;
}

/** Options of `client.sse()` besides the request options. */
export interface SseOptions {
  /** Called for each `retry:` field, with its value in ms. */
  readonly onRetry?: (retryMs: number) => void;
  /** Called for each comment line (`: ...`), such as a heartbeat. */
  readonly onComment?: (comment: string) => void;
}

/**
 * Parses a `text/event-stream` response into events, yielding each as soon as its chunk
 * arrived. Leaving the loop disconnects.
 * @throws TestingError `BBWS_ERR_TESTING_NOT_EVENT_STREAM` when the response is not a 200
 * `text/event-stream`
 */
export async function* readEvents(
  response: TestStreamResponse,
  options: SseOptions = {},
): AsyncGenerator<SseMessage> {
  const type = response.headers['content-type'] ?? '';
  if (response.status !== 200 || !/^text\/event-stream\b/i.test(type)) {
    response.close();
    throw new TestingError(
      'BBWS_ERR_TESTING_NOT_EVENT_STREAM',
      `expected a 200 text/event-stream response, got ${response.status} with Content-Type ${JSON.stringify(type)}`,
    );
  }
  const queue: SseMessage[] = [];
  const parser = createParser({
    onEvent: (message: EventSourceMessage) =>
      queue.push({ event: message.event, id: message.id, data: message.data }),
    onRetry: options.onRetry,
    onComment: options.onComment,
  });
  const decoder = new TextDecoder();
  for await (const chunk of response) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (queue.length > 0) yield queue.shift() as SseMessage;
  }
  parser.feed(decoder.decode());
  while (queue.length > 0) yield queue.shift() as SseMessage;
}
