import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app/app.js';
import { adapterRequest, domainOfHost } from './adapter-request.js';
import { type CollectedResponse, CollectingSink } from './collecting-sink.js';
import { streamLimitsOf } from './fetch-adapter.js';
import { initOnFirstRequest } from './init-on-first-request.js';
import { BAD_REQUEST, PAYLOAD_TOO_LARGE, type Refusal } from './refusal.js';

/**
 * The adapter runtime for node:http-style hosts (`http.createServer(listener)`, Express's
 * `app.use(listener)`, a serverless handler): the app's router and handlers behind someone
 * else's HTTP server. Keep-alive, timeouts and framing are the host's. The seed's "wsgi" mode.
 * @see docs/adapter-runtime.md
 */
export function toNodeListener(app: App): (req: IncomingMessage, res: ServerResponse) => void {
  const config = app.config;
  const limits = streamLimitsOf(config);
  const handlerMs = Math.round(config.handler_timeout * 1000);
  const init = initOnFirstRequest(app);
  return (req, res) => {
    init();
    readBody(req, config.max_body_size).then(
      (body) => {
        const headers: string[] = [];
        const raw = req.rawHeaders;
        for (let i = 0; i < raw.length; i += 2)
          headers.push((raw[i] as string).toLowerCase(), raw[i + 1] as string);
        const socket = req.socket as IncomingMessage['socket'] & { encrypted?: boolean };
        const request = adapterRequest({
          method: req.method ?? 'GET',
          target: req.url ?? '/',
          httpVersion: req.httpVersion,
          headers,
          body,
          endpoint: {
            ip: socket.localAddress ?? '',
            port: socket.localPort ?? 0,
            domain: domainOfHost(req.headers.host),
            isTls: socket.encrypted === true,
          },
          remoteAddress: socket.remoteAddress ?? '',
          streamLimits: limits,
        });
        app.handle(
          request,
          new CollectingSink((collected) => void writeTo(res, collected, req.method === 'HEAD'), handlerMs),
        );
      },
      (refusal: Refusal) => {
        res.writeHead(refusal.status, { 'Content-Type': refusal.contentType, Connection: 'close' });
        res.end(refusal.body);
      },
    );
  };
}

/**
 * The request body, at most `maxBytes` of it. Over the limit, declared or counted, it is
 * refused with the transport's 413; what the client still sends is read and dropped (never
 * held), so the client can read the answer before the host closes the connection.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > maxBytes) {
      req.resume();
      reject(PAYLOAD_TOO_LARGE);
      return;
    }
    const parts: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) {
        // Destroying the request would destroy the socket before the 413 could be written.
        req.off('data', onData);
        parts.length = 0;
        req.resume();
        reject(PAYLOAD_TOO_LARGE);
        return;
      }
      parts.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(length === 0 ? null : Buffer.concat(parts)));
    req.on('error', () => reject(BAD_REQUEST));
  });
}

async function writeTo(res: ServerResponse, collected: CollectedResponse, isHead: boolean): Promise<void> {
  const headers: string[] = [];
  for (const [name, value] of collected.headers) headers.push(name, value);
  res.writeHead(collected.status, headers);
  const body = collected.body;
  if (body === null || isHead || typeof body === 'string' || body instanceof Uint8Array) {
    if (body !== null && typeof body === 'object' && !(body instanceof Uint8Array)) {
      await body[Symbol.asyncIterator]().return?.();
    }
    res.end(isHead || body === null ? undefined : body);
    return;
  }
  const iterator = body[Symbol.asyncIterator]();
  const onClose = () => void iterator.return?.();
  res.once('close', onClose);
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done === true || res.destroyed) break;
      if (!res.write(next.value)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  } catch {
    // The head is out; an aborted body is the only signal left, as on our own transport.
    res.destroy();
  } finally {
    res.off('close', onClose);
  }
}
