import type { Endpoint } from '@bbws/router';
import type { RequestHead } from '../parser/request-head.js';
import type { RequestBodyStream } from './request-body-stream.js';
import type { HttpRequest, StreamLimits } from './types.js';

/**
 * The request a connection hands to its handler: the head's fields, and its header list read
 * through the head, so a handler that never reads a header never has it cut (see ParsedHead).
 * One per request; it shares nothing with another request.
 */
export class ReceivedRequest implements HttpRequest {
  readonly method: string;
  readonly target: string;
  readonly path: string;
  readonly query: string;
  readonly versionMinor: 0 | 1;
  readonly body: Buffer | null;
  readonly bodyStream: RequestBodyStream | null;
  readonly endpoint: Endpoint;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly streamLimits: StreamLimits;
  readonly #head: RequestHead;

  constructor(
    head: RequestHead,
    body: Buffer | null,
    bodyStream: RequestBodyStream | null,
    endpoint: Endpoint,
    remoteAddress: string,
    remotePort: number,
    streamLimits: StreamLimits,
  ) {
    this.method = head.method;
    this.target = head.target;
    this.path = head.path;
    this.query = head.query;
    this.versionMinor = head.versionMinor;
    this.body = body;
    this.bodyStream = bodyStream;
    this.endpoint = endpoint;
    this.remoteAddress = remoteAddress;
    this.remotePort = remotePort;
    this.streamLimits = streamLimits;
    this.#head = head;
  }

  /** Header fields as a flat list: lower-case name, value, name, value, ... */
  get headers(): string[] {
    return this.#head.headers;
  }
}
