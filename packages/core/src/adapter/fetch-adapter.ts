import type { StreamLimits } from '@bbws/transport';
import type { App } from '../app/app.js';
import { adapterRequest, domainOfHost } from './adapter-request.js';
import { type CollectedResponse, CollectingSink } from './collecting-sink.js';
import { initOnFirstRequest } from './init-on-first-request.js';
import { PAYLOAD_TOO_LARGE, type Refusal } from './refusal.js';

/** Options of {@link toFetchHandler}. */
export interface FetchAdapterOptions {
  /** The client address, when the host knows it (default `''`). */
  readonly remoteAddress?: (request: Request) => string;
  /** The local IP the host listens on, for ip selectors (default `127.0.0.1`). */
  readonly localIp?: string;
}

/**
 * The adapter runtime for WHATWG fetch hosts (Deno, Bun, service workers, undici's
 * `MockAgent`, any `(Request) => Response` server): the same router, handlers and response
 * mapping as the socket transport, without our listeners or parser. The seed's "wsgi" mode.
 * @see docs/adapter-runtime.md
 */
export function toFetchHandler(
  app: App,
  options: FetchAdapterOptions = {},
): (request: Request) => Promise<Response> {
  const config = app.config;
  const limits = streamLimitsOf(config);
  const localIp = options.localIp ?? '127.0.0.1';
  const handlerMs = Math.round(config.handler_timeout * 1000);
  const init = initOnFirstRequest(app);
  return async (request) => {
    init();
    const url = new URL(request.url);
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > config.max_body_size) return refuse(PAYLOAD_TOO_LARGE);
    const bytes = await readBody(request, config.max_body_size);
    if (bytes === TOO_LARGE) return refuse(PAYLOAD_TOO_LARGE);
    const headers: string[] = [];
    request.headers.forEach((value, name) => {
      headers.push(name, value);
    });
    const isTls = url.protocol === 'https:';
    const http = adapterRequest({
      method: request.method,
      target: `${url.pathname}${url.search}`,
      httpVersion: '1.1',
      headers,
      body: bytes,
      endpoint: {
        ip: localIp,
        port: url.port === '' ? (isTls ? 443 : 80) : Number(url.port),
        domain: domainOfHost(url.host),
        isTls,
      },
      remoteAddress: options.remoteAddress?.(request) ?? '',
      streamLimits: limits,
    });
    const collected = await new Promise<CollectedResponse>((resolve) =>
      app.handle(http, new CollectingSink(resolve, handlerMs)),
    );
    return toResponse(collected, request.method === 'HEAD');
  };
}

const TOO_LARGE = Symbol('too large');

/**
 * The request body, at most `maxBytes` of it: held as it arrives and refused as soon as it
 * passes the limit, so a large upload is never buffered whole. The rest is left to the host
 * (it discards an unread body), since cancelling may cost the connection the 413.
 */
async function readBody(request: Request, maxBytes: number): Promise<Buffer | null | typeof TOO_LARGE> {
  if (request.body === null) return null;
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (let next = await reader.read(); next.done !== true; next = await reader.read()) {
    length += next.value.byteLength;
    if (length > maxBytes) {
      reader.releaseLock();
      return TOO_LARGE;
    }
    parts.push(next.value);
  }
  return length === 0 ? null : Buffer.concat(parts, length);
}

/** The transport's answer for `refusal`; the body as bytes, so no Content-Type is added. */
function refuse(refusal: Refusal): Response {
  return new Response(Buffer.from(refusal.body, 'utf8'), {
    status: refusal.status,
    headers: { 'Content-Type': refusal.contentType },
  });
}

function toResponse(collected: CollectedResponse, isHead: boolean): Response {
  const headers = new Headers();
  for (const [name, value] of collected.headers) headers.append(name, value);
  const body = collected.body;
  const isBodiless = isHead || collected.status === 204 || collected.status === 304;
  if (isBodiless) {
    if (body !== null && typeof body === 'object' && Symbol.asyncIterator in body)
      void body[Symbol.asyncIterator]().return?.();
    return new Response(null, { status: collected.status, headers });
  }
  // A string is sent as bytes: `new Response(string)` would add `Content-Type: text/plain`
  // where the app sent none, which no other runtime does.
  if (typeof body === 'string')
    return new Response(Buffer.from(body, 'utf8'), { status: collected.status, headers });
  if (body === null || body instanceof Uint8Array) {
    return new Response(body, { status: collected.status, headers });
  }
  return new Response(readableOf(body), { status: collected.status, headers });
}

function readableOf(chunks: AsyncIterable<Uint8Array | string>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done === true) controller.close();
      else controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** The global stream limits of a config, as the transport's per-listener object. */
export function streamLimitsOf(config: App['config']): StreamLimits {
  return Object.freeze({
    maxChunkBytes: config.stream_max_chunk_size,
    maxTotalBytes: config.stream_max_total_bytes,
    maxDurationMs: config.stream_max_duration * 1000,
    idleTimeoutMs: config.stream_idle_timeout * 1000,
  });
}
